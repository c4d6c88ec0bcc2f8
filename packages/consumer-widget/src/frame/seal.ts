/**
 * Turn the visitor's answers into the body of `POST /v1/submissions`: on-the-record answers
 * sealed to the record keys, off-the-record ones (CVV and any field marked so) to the agent's key
 * alone, each bound to the invitation, site, form version and part. Display hints PCI DSS allows
 * in clear (card brand, last four) travel beside them.
 */
import type { SubmitRequest, ViewFormResponse } from '@secure-forms/shared/api';
import { sealAnswers, type Answers } from '@secure-forms/shared/envelope';
import { formRef, isOffTheRecord } from '@secure-forms/shared/form';
import { lastFour } from '@secure-forms/shared/masking';
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
  return {
    invitationId: context.invitationId,
    onTheRecord: onIds.length ? await sealAnswers(onRecord, context.recordKeys, { ...binding, part: 'on-the-record' }) : null,
    offTheRecord: offIds.length ? await sealAnswers(offRecord, [context.offTheRecordKey], { ...binding, part: 'off-the-record' }) : null,
    fieldIds: { onTheRecord: onIds, offTheRecord: offIds },
    hints,
  };
}
