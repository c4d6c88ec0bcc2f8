/**
 * The frame's three reads of its origin's API: the form (with the visitor's token or the view key), more time and the
 * sending (with the submit key). Each goes through shared's one request sequence (`readJson`), so
 * every failure is a `SecureFormsError` with a stable code: `NETWORK` when the connection fails
 * (also mid-answer), the refusal's code read without zod (`toVisitorSideError`: a code the visitor
 * side does not know is INTERNAL), and `RESPONSE_INVALID` for a success that is not what the API
 * answers.
 *
 * The answers are checked by hand, not by shared's zod schemas, for the frame's size budget: zod's
 * parser would cost the frame about 5 kB. They come from this origin's backend, which validated
 * them; the checks hold what the frame relies on (the form is this invitation's and this site's,
 * a key is a string), and the recipient keys are checked strictly where they are used (seal.ts).
 */
import type { ExtendResponse, OpenFormResponse, SubmitRequest, SubmitResponse, ViewFormResponse } from '@secure-forms/shared/api';
import { SecureFormsError, toVisitorSideError } from '@secure-forms/shared/error-codes';
import { readJson, type ResponseSchema } from '@secure-forms/shared/read-json';
import { frameStart } from './frame-start.js';

/** A field of an answer that may be anything. */
type Unknown = { [key: string]: unknown } | null | undefined;

/** A hand-written `ResponseSchema`: the answer itself when `holds` is true of it. */
function answerWhere<T>(holds: (answer: Unknown) => boolean): ResponseSchema<T> {
  return { safeParse: (answer) => (holds(answer as Unknown) ? { success: true, data: answer as T } : { success: false }) };
}

/** The view request's answer: with the visitor's token, the opens left come with the form. */
export type ViewAnswer = ViewFormResponse & Partial<Pick<OpenFormResponse, 'opensLeft'>>;

/**
 * Reads the answer to the view request `request` (already started, see `view-request.ts`): the form
 * for `invitationId` on `siteId`, with its submit key.
 *
 * @throws SecureFormsError as the module says.
 */
export function readView(request: Promise<Response>, invitationId: string, siteId: string): Promise<ViewAnswer> {
  const schema = answerWhere<ViewAnswer>(
    (view) => view?.invitationId === invitationId && view.siteId === siteId && typeof view.submitOtk === 'string',
  );
  return readJson(request, schema, toVisitorSideError);
}

/**
 * `POST /v1/submissions/extend`: a fresh submit key with a later deadline, for the one given.
 *
 * @throws SecureFormsError as the module says.
 */
export function requestExtension(submitOtk: string): Promise<ExtendResponse> {
  const schema = answerWhere<ExtendResponse>(
    (extended) => typeof extended?.submitOtk === 'string' && typeof extended.submitDeadline === 'string',
  );
  return readJson(frameStart().postWithKey('/submissions/extend', submitOtk), schema, toVisitorSideError);
}

/**
 * `POST /v1/submissions`: the sealed answers, with the submit key.
 *
 * @throws SecureFormsError as the module says.
 */
export function requestSubmit(submitOtk: string, body: SubmitRequest): Promise<SubmitResponse> {
  const schema = answerWhere<SubmitResponse>((submitted) => typeof submitted?.submissionId === 'string');
  return readJson(frameStart().postWithKey('/submissions', submitOtk, body), schema, toVisitorSideError);
}

/**
 * The stable code of a failed request: the `SecureFormsError`'s, or `NETWORK` for anything else
 * thrown on the way (the sealing code not loading, a key that cannot be imported).
 */
export function failureCode(error: unknown): SecureFormsError['code'] {
  return error instanceof SecureFormsError ? error.code : 'NETWORK';
}
