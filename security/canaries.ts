/**
 * Canary values the visitor types, and the scan that looks for them in a sink: in clear, in
 * base64 (standard and URL-safe, at every byte alignment, so a canary inside a longer encoded
 * blob is found too) and URL-encoded. Public test data only: an American Express test card
 * number, a 4-digit card identification number, the long-voided "Woolworth" SSN, and a secret
 * answer that is random per run.
 *
 * A 4-digit CID can turn up by chance inside random ids, tokens and hex, so it is looked for
 * only where typed text could be: as a run of exactly those digits, after the random-looking
 * strings nobody typed have been taken out (as demo/server/src/test/flows.ts `typedText` does).
 * Its base64 forms are too short to mean anything and are not searched.
 */
import { randomBytes } from 'node:crypto';
import { TEST_CARDS } from '../fixtures/cards.js';

const answerSuffix = process.env.SEC_CANARY_SUFFIX ?? randomBytes(6).toString('hex');

export const CANARY = {
  /** An American Express test number the suite's other flows do not type, with its usual grouping. */
  card: { typed: TEST_CARDS.amexCanary.number, digits: TEST_CARDS.amexCanary.digits, lastFour: TEST_CARDS.amexCanary.lastFour },
  /** A 4-digit CID, as American Express cards have. */
  cid: '2945',
  /** The voided "Woolworth wallet" SSN, printed on sample cards in 1938. */
  ssn: { typed: '078-05-1120', digits: '078051120' },
  secretAnswer: `canary-secret-answer-${answerSuffix}`,
} as const;

export type CanaryName = 'card number' | 'CVV' | 'SSN' | 'secret answer';

interface Needle {
  canary: CanaryName;
  form: string;
  value: string;
}

function base64Forms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = new Set<string>();
  for (let shift = 0; shift < 3; shift++) {
    const padded = Buffer.concat([Buffer.alloc(shift), bytes]);
    const encoded = padded.toString('base64');
    // Drop the characters that depend on bytes around the canary: the first ones (carrying the
    // padding's bits) and the last (partial) group.
    const start = Math.ceil((shift * 8) / 6);
    const end = Math.floor(((shift + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    if (core.length >= 8) {
      forms.add(core);
      forms.add(core.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...forms];
}

function needlesFor(canary: CanaryName, values: string[]): Needle[] {
  const out: Needle[] = [];
  for (const value of values) {
    out.push({ canary, form: 'clear', value });
    for (const encoded of new Set([encodeURIComponent(value), encodeURIComponent(value).replace(/%20/g, '+')])) {
      if (encoded !== value) out.push({ canary, form: 'URL-encoded', value: encoded });
    }
    for (const b64 of base64Forms(value)) out.push({ canary, form: 'base64', value: b64 });
  }
  return out;
}

const NEEDLES: Needle[] = [
  ...needlesFor('card number', [CANARY.card.digits, CANARY.card.typed, CANARY.card.typed.replaceAll(' ', '-')]),
  ...needlesFor('SSN', [CANARY.ssn.typed, CANARY.ssn.digits]),
  ...needlesFor('secret answer', [CANARY.secretAnswer]),
];

/**
 * The card number's digits with whatever a page may put between its groups: spaces, hyphens, and
 * tags (a panel that boxes each group of four in its own element serializes as
 * `<span>3714</span> <span>4963</span>…`, which no fixed needle matches). Fifteen digits in this
 * order do not turn up by chance.
 */
const CARD_SPREAD = new RegExp(CANARY.card.digits.split('').join('(?:[\\s-]|<[^<>]{0,200}>)*'));

/** Text with the random strings nobody typed taken out (ids, tokens, ciphertext, timestamps). */
export function typedText(dump: string): string {
  return dump
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/[A-Za-z0-9_-]*[A-Za-z_-][A-Za-z0-9_-]*/g, (run) => (run.length >= 16 ? '<random>' : run))
    .replace(/\b1\d{12}\b/g, '<epoch-ms>');
}

/** Printable runs of a binary file (SQLite pages), as text. */
export function printable(bytes: Buffer): string {
  return bytes.toString('latin1').replace(/[^\x20-\x7e]+/g, '\n');
}

export interface Hit {
  canary: CanaryName;
  form: string;
}

/** Every canary found in `text` (binary content: pass it as latin1). */
export function findCanaries(text: string): Hit[] {
  const hits: Hit[] = [];
  for (const needle of NEEDLES) if (text.includes(needle.value)) hits.push({ canary: needle.canary, form: needle.form });
  if (!hits.some((h) => h.canary === 'card number' && h.form === 'clear') && CARD_SPREAD.test(text)) {
    hits.push({ canary: 'card number', form: 'clear (in groups, or split by tags)' });
  }
  if (new RegExp(`(?<![0-9])${CANARY.cid}(?![0-9])`).test(typedText(text))) hits.push({ canary: 'CVV', form: 'clear (typed text)' });
  return hits;
}

/** "card number (base64), SSN (clear)" */
export function describeHits(hits: Hit[]): string {
  return [...new Set(hits.map((h) => `${h.canary} (${h.form})`))].join(', ');
}
