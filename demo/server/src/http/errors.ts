/**
 * Refusals: every one is `{ error: { code, message, fields? } }` with a stable code from
 * @secure-forms/shared. Messages are fixed sentences written here; they never echo a value,
 * a one-time key, a token or a password.
 */
import { SecureFormsError, type ErrorBody, type ErrorCode, type FieldIssue } from '@secure-forms/shared';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Refusal } from '../domain/refusal.js';

const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  OTK_MISSING: 401,
  OTK_INVALID: 401,
  OTK_EXPIRED: 410,
  OTK_USED: 410,
  OTK_WRONG_ACTION: 403,
  OTK_WRONG_BINDING: 403,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 403,
  TOTP_WRONG: 401,
  TOTP_REUSED: 401,
  SESSION_EXPIRED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  NOT_ASSIGNED: 403,
  NOT_SENDER: 403,
  CONVERSATION_CLOSED: 409,
  OPEN_LIMIT_REACHED: 409,
  INVITATION_EXPIRED: 410,
  INVITATION_CANCELLED: 410,
  ALREADY_SUBMITTED: 409,
  OFF_THE_RECORD_EXPIRED: 410,
  OFF_THE_RECORD_HANDED_OUT: 410,
  FORM_NOT_FOUND: 404,
  VALIDATION_FAILED: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  RATE_LIMITED: 429,
  ORIGIN_NOT_ALLOWED: 403,
  SERVICE_BUSY: 503,
  INTERNAL: 500,
};

export function statusFor(code: ErrorCode): ContentfulStatusCode {
  return STATUS[code];
}

/** A thrown SecureFormsError whose code the API answers with (not one only clients give themselves). */
export function isApiRefusal(error: unknown): error is SecureFormsError & { code: ErrorCode } {
  return error instanceof SecureFormsError && Object.hasOwn(STATUS, error.code);
}

/**
 * The body of a refusal. Handlers, middleware and the domain throw a `Refusal` (domain/refusal.ts,
 * a SecureFormsError); only this module knows the status of each code.
 */
export function errorBody(code: ErrorCode, message: string, fields?: FieldIssue[]): ErrorBody {
  return { error: { code, message, ...(fields ? { fields } : {}) } };
}

/** The code of the refusal each request was answered with, for its audit line. */
const refusals = new WeakMap<Context, ErrorCode>();

/**
 * Answer `c` with a refusal `{ error: { code, message } }` (status from the code unless given) and
 * remember its code for the audit line, so that nothing has to read the response body back.
 */
export function refuse(
  c: Context,
  code: ErrorCode,
  message: string,
  status: ContentfulStatusCode = STATUS[code],
  headers?: Record<string, string>,
): Response {
  refusals.set(c, code);
  return c.json(errorBody(code, message), status, headers);
}

/**
 * Answer `c` with a thrown refusal (its status from its code, its Retry-After when it has one),
 * remembered as {@link refuse} does.
 */
export function refuseWith(c: Context, error: SecureFormsError & { code: ErrorCode }): Response {
  refusals.set(c, error.code);
  const retryAfter = error instanceof Refusal ? error.retryAfterSeconds : undefined;
  return c.json(
    errorBody(error.code, error.message, error.fields),
    STATUS[error.code],
    retryAfter === undefined ? undefined : { 'Retry-After': String(retryAfter) },
  );
}

/** The code of the refusal `c` was answered with, if any. */
export function refusalCode(c: Context): ErrorCode | undefined {
  return refusals.get(c);
}
