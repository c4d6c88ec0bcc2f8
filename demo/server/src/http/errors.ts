/**
 * Refusals: every one is `{ error: { code, message, fields? } }` with a stable code from
 * @secure-forms/shared. Messages are fixed sentences written here; they never echo a value,
 * a one-time key, a token or a password.
 */
import type { ErrorBody, ErrorCode, FieldIssue } from '@secure-forms/shared';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

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

/** Thrown by handlers and services; turned into a refusal (and an audit line) by the app. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
  }
  /** The operator a refusal concerns, for the audit line (e.g. a failed login). */
  actorId?: string;
  withActor(operatorId: string): this {
    this.actorId = operatorId;
    return this;
  }
  /** Seconds for a `Retry-After` header (RATE_LIMITED). */
  retryAfterSeconds?: number;
  retryAfter(seconds: number): this {
    this.retryAfterSeconds = seconds;
    return this;
  }
  get status(): ContentfulStatusCode {
    return STATUS[this.code];
  }
  toBody(): ErrorBody {
    return { error: { code: this.code, message: this.message, ...(this.fields ? { fields: this.fields } : {}) } };
  }
}

export function errorBody(code: ErrorCode, message: string, fields?: FieldIssue[]): ErrorBody {
  return new ApiError(code, message, fields).toBody();
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

/** Answer `c` with an {@link ApiError} (and its Retry-After), remembered as {@link refuse} does. */
export function refuseWith(c: Context, error: ApiError): Response {
  refusals.set(c, error.code);
  return c.json(
    error.toBody(),
    error.status,
    error.retryAfterSeconds === undefined ? undefined : { 'Retry-After': String(error.retryAfterSeconds) },
  );
}

/** The code of the refusal `c` was answered with, if any. */
export function refusalCode(c: Context): ErrorCode | undefined {
  return refusals.get(c);
}
