/**
 * Payment cards: the brands' IIN prefixes, lengths, CVV lengths and printed digit groups; which
 * leading digits no network issues; the Luhn check; expiry dates. Pure functions, used by the
 * frame while the visitor types and by the field-type validators.
 */
import type { CardBrand } from './vocabulary.js';

/**
 * An IIN prefix: a number's leading digits equal to it (`2720`), or within an inclusive range of
 * prefixes of one width (`[2221, 2229]`).
 */
export type IinPrefix = number | readonly [number, number];

export interface BrandRule {
  brand: CardBrand;
  /** The leading digits the network issues under this brand. */
  prefixes: readonly IinPrefix[];
  lengths: readonly number[];
  cvvLength: number;
  /** Digit group sizes used to display the number as typed; fours (`FOURS`) when left out. */
  groups?: readonly number[];
}

/** Fours, with a last group of three for 19 digits: how most cards print. */
const FOURS = [4, 4, 4, 4, 3];

/**
 * Every brand in `CARD_BRANDS` once: the prefixes and lengths are Braintree's credit-card-type
 * 10.3.0 (lib/card-types.js, its table of what the networks publish), ported because the library
 * costs 2.9 kB min+gzip and the frame's budget had 0.8 kB left. A number is the brand of its
 * longest matching prefix, the first in this order on a tie, as in credit-card-type (whose test
 * order this is). cards.differential.test.ts compares the two. Where this table differs on purpose:
 * - Visa also has 13 digits: Authorize.net and PayPal publish 13-digit Visa test numbers.
 * - Dankort (5019) is a brand, placed before Maestro, whose 500000-504174 would take it; Adyen
 *   publishes it as Dankort.
 * - JCB also has 3088-3094 (one of its older ranges; Authorize.net's JCB test number) and not 1800:
 *   a leading 1 is the airlines' (see `issuedByANetwork`).
 * - Left out to fit the frame's budget (265 bytes min+gzip together): Troy's 29 eight-digit
 *   prefixes (65083700-65880900; read as Discover), Naranja (Argentina; read as Visa, Mastercard
 *   or Maestro) and Hiper (Brazil; read as Maestro). Each is read as a brand whose lengths include
 *   its own, so no such card is refused; only its label is the wider network's.
 */
export const CARD_BRAND_RULES: readonly BrandRule[] = [
  { brand: 'visa', prefixes: [4], lengths: [13, 16, 18, 19], cvvLength: 3 },
  {
    brand: 'mastercard',
    prefixes: [[51, 55], [2221, 2229], [223, 229], [23, 26], [270, 271], 2720],
    lengths: [16],
    cvvLength: 3,
    groups: [4, 4, 4, 4],
  },
  { brand: 'amex', prefixes: [34, 37], lengths: [15], cvvLength: 4, groups: [4, 6, 5] },
  { brand: 'diners', prefixes: [[300, 305], 36, 38, 39], lengths: [14, 16, 19], cvvLength: 3, groups: [4, 6, 4] },
  { brand: 'discover', prefixes: [6011, [644, 649], 65], lengths: [16, 19], cvvLength: 3 },
  {
    brand: 'troy',
    // prettier-ignore
    prefixes: [
      9792, 650052, [650082, 650083], 650092, 650161, 650170, 650173, 650175, 650268, 650271,
      [650273, 650274], [650456, 650457], 650836, [650846, 650850], 650923, 650987, 650990, 654997,
      657366, 657998, 658758, [658767, 658768],
    ],
    lengths: [16],
    cvvLength: 3,
  },
  { brand: 'jcb', prefixes: [2131, [3088, 3094], [3528, 3589]], lengths: [16, 17, 18, 19], cvvLength: 3 },
  {
    brand: 'unionpay',
    // prettier-ignore
    prefixes: [
      620, [62100, 62182], [62184, 62187], [62185, 62197], [62200, 62205], [622010, 622999], 622018,
      [62207, 62209], [623, 626], 6270, 6272, 6276, [627700, 627779], [627781, 627799], [6282, 6289],
      6291, 6292, 810, [8110, 8131], [8132, 8151], [8152, 8163], [8164, 8171],
    ],
    lengths: [14, 15, 16, 17, 18, 19],
    cvvLength: 3,
  },
  {
    brand: 'verve',
    // prettier-ignore
    prefixes: [
      [506099, 506127], 506129, [506133, 506150], [506158, 506163], 506166, 506168, 506170, 506173,
      [506176, 506180], 506184, [506187, 506188], 506191, 506195, 506197, 507865, 507866,
      [507868, 507877], [507880, 507888], 507900, 507941,
    ],
    lengths: [16, 18, 19],
    cvvLength: 3,
  },
  { brand: 'dankort', prefixes: [[501900, 501999]], lengths: [16], cvvLength: 3 },
  {
    brand: 'maestro',
    prefixes: [493698, [500000, 504174], [504176, 506698], [506779, 508999], [56, 59], 63, 67, 6],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
    cvvLength: 3,
  },
  {
    brand: 'elo',
    // prettier-ignore
    prefixes: [
      401178, 401179, 438935, 457631, 457632, 431274, 451416, 457393, 504175, [506699, 506778],
      [509000, 509999], 627780, 636297, 636368, [650031, 650033], [650035, 650051], [650405, 650439],
      [650485, 650538], [650541, 650598], [650700, 650718], [650720, 650727], [650901, 650978],
      [651652, 651679], [655000, 655019], [655021, 655058],
    ],
    lengths: [16],
    cvvLength: 3,
  },
  { brand: 'mir', prefixes: [[2200, 2204]], lengths: [16, 17, 18, 19], cvvLength: 3 },
  { brand: 'hipercard', prefixes: [606282], lengths: [16], cvvLength: 3 },
];

/** Remove the spaces and hyphens people type between digit groups. */
export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check digit test, on digits only. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Whether a card network issues numbers that start like this. ISO/IEC 7812 gives a leading 0 to
 * no card issuer (industry identifier 0 is the standard's own), and a leading 1 to airlines
 * (UATP), which a form takes only when its field says `airlineCards`: consumer cards never start
 * with either, though numbers such as 0000 0000 0000 pass the Luhn check.
 */
export function issuedByANetwork(digits: string, airlineCards = false): boolean {
  return !digits.startsWith('0') && (airlineCards || !digits.startsWith('1'));
}

/**
 * The rule of the brand whose prefix the leading digits match, the longest prefix winning (Troy's
 * 650052 over Discover's 65); undefined while no prefix is complete.
 */
export function cardBrandRule(digits: string): BrandRule | undefined {
  let best: BrandRule | undefined;
  let bestWidth = 0;
  for (const rule of CARD_BRAND_RULES) {
    for (const prefix of rule.prefixes) {
      const [lo, hi] = typeof prefix === 'number' ? [prefix, prefix] : prefix;
      const width = String(lo).length;
      // Not longer than the best so far: on a tie the earlier rule keeps it.
      if (width <= bestWidth || digits.length < width) continue;
      const leading = Number(digits.slice(0, width));
      if (leading >= lo && leading <= hi) {
        best = rule;
        bestWidth = width;
      }
    }
  }
  return best;
}

/** The card network of a (possibly partial) card number, or undefined while unknown. */
export function detectCardBrand(input: string): CardBrand | undefined {
  return cardBrandRule(normalizeCardNumber(input))?.brand;
}

/** CVV length for a brand: 4 for American Express, else 3. */
export function cvvLengthFor(brand: CardBrand | undefined): number {
  return CARD_BRAND_RULES.find((b) => b.brand === brand)?.cvvLength ?? 3;
}

/**
 * Group digits as the brand prints them: `4111 1111 1111 1111`, `3782 822463 10005`. A number
 * longer than its brand's groups cover is printed in fours, as most cards are: 16-digit Diners
 * Club cards read `3056 9300 0902 0004`, while the 14-digit ones keep 4-6-4.
 */
export function formatCardNumber(input: string): string {
  const digits = normalizeCardNumber(input).replace(/\D/g, '');
  const brandGroups = cardBrandRule(digits)?.groups;
  const groups = brandGroups && digits.length <= brandGroups.reduce((a, b) => a + b, 0) ? brandGroups : FOURS;
  const out: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) out.push(digits.slice(at));
  return out.join(' ');
}

/** Parse `MM/YY` or `MM/YYYY` (also `MM-YY`, `MMYY`). */
export function parseExpiry(input: string): { month: number; year: number } | undefined {
  const m = /^\s*(\d{1,2})\s*[/\-\s]?\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!m) return undefined;
  const month = Number(m[1]);
  let year = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  if (year < 100) year += 2000;
  return { month, year };
}
