/**
 * Opening a submission's answers: check that the response is the one asked for, decrypt each part
 * under the binding of what this panel sent, keep only the fields the form puts in that part, and
 * order and mask them for display. No DOM and no state: the caller keeps the result.
 */
import {
  EnvelopeError,
  formRef,
  lastFour,
  localize,
  maskSecret,
  type FormSummary,
  type HistoryEntry,
  type RecordPart,
  type RetrieveResponse,
  type CardBrand,
} from '@secure-forms/shared';
import { openAnswers } from '@secure-forms/shared/envelope';
import type { PanelApiClient } from '../../internal/api-client.js';
import { answersOfPart } from '../../internal/record-parts.js';
import type { Answered, InvitationEntry, RevealableField } from './invitation-ledger.js';

/** What `POST /v1/submissions/:sid/history-view` answers. */
type HistoryViewResponse = Awaited<ReturnType<PanelApiClient['historyView']>>;

/** Off-the-record answers are dropped after this long when the backend gives no deadline. */
export const OFF_THE_RECORD_FALLBACK_MS = 5 * 60_000;

/** Display hints sent in clear beside the sealed answers (`RetrieveResponse['hints']`). */
type Hints = { cardBrand?: CardBrand | undefined; lastFour?: string | undefined };

/**
 * The answers of one part as revealable fields, labelled and masked as the form says. A card's
 * brand comes from the hints when their last four match the decrypted number's: the frame worked
 * it out with the shared brand table, which the panel then need not carry (0.4 kB min+gzip).
 */
export function toFields(
  scope: string,
  part: RecordPart,
  answers: ReadonlyMap<string, string>,
  form: FormSummary | undefined,
  locale: string,
  hints: Hints = {},
): RevealableField[] {
  return [...answers].map(([fieldId, value]) => {
    const field = form?.fields.find((f) => f.id === fieldId);
    const base = { key: `${scope}:${part}:${fieldId}`, label: field ? localize(field.label, locale) : fieldId, part, value };
    if (field?.type !== 'card-number') return { ...base, masked: maskSecret(value) };
    // Fewer than PCI DSS 3.4.1 allows (first six, last four): the last four and the brand are
    // what an agent checks against what the caller reads out, as card dashboards show them.
    const four = lastFour(value);
    const brand = hints.lastFour === four ? hints.cardBrand : undefined;
    return { ...base, masked: `•••• ${four}`, card: { lastFour: four, brand } };
  });
}

/** Answers in the order the form lists its fields; fields it does not list come last. */
export function answered(
  fields: RevealableField[],
  form: FormSummary | undefined,
  offTheRecordExpiresAt: number | null,
  offTheRecordNote: Answered['offTheRecordNote'],
  leftOut = false,
): Answered {
  const ids = form?.fields.map((f) => f.id) ?? [];
  const rank = (f: RevealableField) => ids.indexOf(f.key.split(':')[2]!) + 1 || 99;
  return { status: 'ready', fields: fields.sort((a, b) => rank(a) - rank(b)), offTheRecordExpiresAt, offTheRecordNote, leftOut };
}

/**
 * Open a retrieve response for `entry` with its private key. Throws an `EnvelopeError` when the
 * response belongs to another invitation or submission, or a part does not open under the binding.
 */
export async function openRetrieved(
  entry: InvitationEntry,
  response: RetrieveResponse,
  key: CryptoKey,
  forms: readonly FormSummary[] | null,
  locale: string,
  now = Date.now(),
): Promise<Answered> {
  if (response.invitationId !== entry.id || response.submissionId !== entry.submissionId) {
    throw new EnvelopeError('the response belongs to another invitation');
  }
  // Bind to what this panel sent, not to what the response claims.
  const ref = formRef({ id: entry.formId, version: entry.formVersion });
  const binding = { invitationId: entry.id, siteId: response.siteId, formRef: ref };
  const sent = forms?.find((f) => formRef(f) === ref);
  const form = sent ?? forms?.find((f) => f.id === entry.formId);
  const fields: RevealableField[] = [];
  let leftOut = false;
  // Each part shows only the fields the form version puts in it (`sent`; unknown: all).
  const take = async (envelope: NonNullable<RetrieveResponse['onTheRecord']>, part: RecordPart) => {
    const { kept, dropped } = answersOfPart(sent, part, await openAnswers(envelope, key, { ...binding, part }));
    leftOut ||= dropped > 0;
    return toFields(entry.id, part, kept, form, locale, response.hints);
  };
  if (response.onTheRecord) fields.push(...(await take(response.onTheRecord, 'on-the-record')));
  let offTheRecordExpiresAt: number | null = null;
  if (response.offTheRecord && response.offTheRecordState === 'available') {
    const otr = await take(response.offTheRecord, 'off-the-record');
    fields.push(...otr);
    if (otr.length > 0) {
      const parsed = Date.parse(response.offTheRecordExpiresAt ?? '');
      offTheRecordExpiresAt = Number.isNaN(parsed) ? now + OFF_THE_RECORD_FALLBACK_MS : parsed;
    }
  }
  const state = response.offTheRecordState;
  const note = state === 'expired' || state === 'handed-out' ? state : null;
  return answered(fields, form, offTheRecordExpiresAt, note, leftOut);
}

/**
 * Open a manager's history view of `entry` (on-the-record answers only) with the key pair made
 * for that one view. Throws an `EnvelopeError` when the response belongs to another submission.
 */
export async function openHistoryView(
  entry: HistoryEntry,
  response: HistoryViewResponse,
  key: CryptoKey,
  forms: readonly FormSummary[] | null,
  locale: string,
): Promise<Answered> {
  if (response.submissionId !== entry.submissionId || response.invitationId !== entry.invitationId) {
    throw new EnvelopeError('the response belongs to another submission');
  }
  const answers = await openAnswers(response.onTheRecord, key, {
    invitationId: entry.invitationId,
    siteId: response.siteId,
    formRef: entry.formRef,
    part: 'on-the-record',
  });
  const form = forms?.find((f) => formRef(f) === entry.formRef);
  const { kept, dropped } = answersOfPart(form, 'on-the-record', answers);
  const fields = toFields(`h-${entry.submissionId}`, 'on-the-record', kept, form, locale, response.hints);
  return answered(fields, form, null, null, dropped > 0);
}
