/**
 * Turn the visitor's answers into the body of `POST /v1/submissions`: on-the-record answers
 * sealed to the record keys, off-the-record ones (CVV and any field marked so) to the agent's key
 * alone, each bound to the invitation, site, form version and part. Display hints PCI DSS allows
 * in clear (card brand, last four) travel beside them. The recipient keys are the one input here
 * where a wrong shape could do harm (answers sealed to someone else's key), so each is checked
 * strictly and imported with WebCrypto before anything is sealed.
 */
import type { SubmitRequest, ViewFormResponse } from '@secure-forms/shared/api';
import type { Answers } from '@secure-forms/shared/envelope';
import { formRef, isOffTheRecord } from '@secure-forms/shared/form-rules';
import { lastFour } from '@secure-forms/shared/masking';
import { importRecipientKey, sealToKeys } from '@secure-forms/shared/seal';
import { detectCardBrand } from '@secure-forms/shared/validators';

/** What sealing needs from the view response; never the submit key. */
export type SealContext = Pick<ViewFormResponse, 'invitationId' | 'siteId' | 'form' | 'recordKeys' | 'offTheRecordKey'>;

/** Split answers by `isOffTheRecord`, in the form's field order; answers to unknown fields are dropped. */
export function splitAnswers(context: Pick<SealContext, 'form'>, answers: Answers): { onRecord: Answers; offRecord: Answers } {
  // Null-prototype records and own-member reads: a field id that names an Object.prototype member
  // (`constructor`, `toString`) must never read or write an inherited function.
  const onRecord = Object.create(null) as Answers;
  const offRecord = Object.create(null) as Answers;
  for (const field of context.form.fields) {
    const value = Object.hasOwn(answers, field.id) ? answers[field.id] : undefined;
    if (typeof value !== 'string' || value === '') continue;
    (isOffTheRecord(field) ? offRecord : onRecord)[field.id] = value;
  }
  return { onRecord, offRecord };
}

export async function buildSubmission(context: SealContext, answers: Answers): Promise<SubmitRequest> {
  const { onRecord, offRecord } = splitAnswers(context, answers);
  const hints: SubmitRequest['hints'] = {};
  const given = (id: string) => onRecord[id] ?? offRecord[id];
  const card = context.form.fields.find((f) => f.type === 'card-number' && given(f.id));
  if (card) {
    const number = given(card.id)!;
    const brand = detectCardBrand(number);
    if (brand) hints.cardBrand = brand;
    const four = lastFour(number);
    if (/^\d{4}$/.test(four)) hints.lastFour = four;
  }
  const binding = { invitationId: context.invitationId, siteId: context.siteId, formRef: formRef(context.form) };
  const onIds = Object.keys(onRecord);
  const offIds = Object.keys(offRecord);
  // Every key is checked even when its part is empty: a malformed key means a malformed view.
  const recordKeys = await Promise.all(context.recordKeys.map(importRecipientKey));
  const offTheRecordKey = await importRecipientKey(context.offTheRecordKey);
  return {
    invitationId: context.invitationId,
    onTheRecord: onIds.length ? await sealToKeys(onRecord, recordKeys, { ...binding, part: 'on-the-record' }) : null,
    offTheRecord: offIds.length ? await sealToKeys(offRecord, [offTheRecordKey], { ...binding, part: 'off-the-record' }) : null,
    fieldIds: { onTheRecord: onIds, offTheRecord: offIds },
    hints,
  };
}
