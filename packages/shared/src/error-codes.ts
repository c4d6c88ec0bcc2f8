/**
 * Stable error codes: the one list every package speaks. The backend refuses with
 * `{ error: { code, message, fields? } }`; the widgets turn each code into a localized
 * message and a next step. A code, once shipped, never changes meaning.
 *
 * This module holds the codes, the error that carries one, and the visitor's refusal reader, without
 * zod; the refusal body's schema and the full reader are in `errors.ts`, which re-exports this
 * module. The visitor's bundles import this one alone (`@secure-forms/shared/error-codes`): a module
 * that imports zod leaves zod's set-up in a bundle even when none of its schemas is used.
 */
import type { FieldIssue } from './errors.js';

/**
 * Every code but the operators' below: the codes an answer to a visitor's request (open, view,
 * submit, extend) can carry are among these, so the visitor's form frame and invitation know only
 * these (every other code reads as INTERNAL there).
 */
export const VISITOR_SIDE_ERROR_CODES = [
  // one-time keys
  'OTK_MISSING',
  'OTK_INVALID',
  'OTK_EXPIRED',
  'OTK_USED',
  'OTK_WRONG_ACTION',
  'OTK_WRONG_BINDING',
  // credentials
  'UNAUTHENTICATED',
  'FORBIDDEN',
  // invitations, submissions, conversations
  'NOT_FOUND',
  'CONVERSATION_CLOSED',
  'OPEN_LIMIT_REACHED',
  'INVITATION_EXPIRED',
  'INVITATION_CANCELLED',
  'ALREADY_SUBMITTED',
  'OFF_THE_RECORD_EXPIRED',
  'OFF_THE_RECORD_HANDED_OUT',
  'FORM_NOT_FOUND',
  // request shape and limits
  'VALIDATION_FAILED',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'RATE_LIMITED',
  'ORIGIN_NOT_ALLOWED',
  // the service
  'SERVICE_BUSY',
  'INTERNAL',
] as const;

/**
 * Codes only an operator's requests can get (signing in, sessions, the conversations they are
 * assigned, second factors, workspace tokens, passkeys): never an answer to a visitor's request, so
 * the visitor's bundles do not carry their names.
 */
export const OPERATOR_ERROR_CODES = [
  // sign-in and sessions
  'INVALID_CREDENTIALS',
  'ACCOUNT_LOCKED',
  /** After a right password: the authenticator code is wrong (counted towards the lock). */
  'TOTP_WRONG',
  /** After a right password: the authenticator code was already used once (not counted). */
  'TOTP_REUSED',
  'SESSION_EXPIRED',
  // the conversations and invitations of other agents
  'NOT_ASSIGNED',
  'NOT_SENDER',
  /** Sign-in: the site asks this operator for a second factor, none is set up, and nothing showed one. */
  'SECOND_FACTOR_REQUIRED',
  // workspace tokens (POST /v1/sessions/token-exchange; `fields[].reason` says which rule, with its
  // next step in WORKSPACE_TOKEN_REFUSALS)
  /** Unreadable, missing a claim, or minted to live over 5 minutes. */
  'WORKSPACE_TOKEN_INVALID',
  /** Not signed by a key the site registered (unknown kid, wrong key, refused algorithm, no keys). */
  'WORKSPACE_TOKEN_UNTRUSTED',
  /** Signed, but outside its time: expired, or issued or valid only in the future (clock). */
  'WORKSPACE_TOKEN_EXPIRED',
  /** Signed, but for another issuer or audience than the site's. */
  'WORKSPACE_TOKEN_WRONG_AUDIENCE',
  /** Signed, but its jti was already exchanged. */
  'WORKSPACE_TOKEN_REPLAYED',
  /** Signed, but its roles do not include the operator's. */
  'WORKSPACE_TOKEN_ROLE_NOT_ALLOWED',
  /** A passkey answer did not verify (unknown, removed or another operator's passkey, wrong signature or origin); counted at sign-in. */
  'PASSKEY_REFUSED',
  /** A passkey's signature counter did not increase: a cloned authenticator; refused and audited. */
  'PASSKEY_CLONED',
  /** The passkey ceremony's challenge has expired or was already used: start the ceremony again. */
  'PASSKEY_CHALLENGE_USED',
  /** The last passkey of an operator the site asks for a second factor, with no other allowed method set up: not removed. */
  'PASSKEY_LAST_REQUIRED',
] as const;

/** The visitor-side codes as a set, for checks that must not carry the other codes' names. */
export const VISITOR_SIDE_ERROR_CODE_SET: ReadonlySet<string> = /* @__PURE__ */ new Set(VISITOR_SIDE_ERROR_CODES);

/** Both lists as one tuple type. */
function joined<A extends readonly string[], B extends readonly string[]>(a: A, b: B): readonly [...A, ...B] {
  return [...a, ...b] as const;
}

/**
 * Every code the backend sends. Joined by a call marked pure, not a bare spread, which bundlers keep
 * (iterating could have effects): a bundle that uses only the visitor's list, such as the form
 * frame, then leaves the operator codes out.
 */
export const ERROR_CODES = /* @__PURE__ */ joined(VISITOR_SIDE_ERROR_CODES, OPERATOR_ERROR_CODES);

export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * Codes a client gives itself and the backend never sends (so they are not in `errorCodeSchema`):
 * - `NETWORK`: the service could not be reached, or the connection failed mid-response (status 0);
 * - `RESPONSE_INVALID`: a success response whose body did not match its schema.
 */
export const CLIENT_ERROR_CODES = ['NETWORK', 'RESPONSE_INVALID'] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

/**
 * An error that carries a stable code across a package boundary (a fetch that the backend
 * refused, a message that did not parse). `message` is for developers; people see the
 * localized text the widgets derive from `code`.
 */
export class SecureFormsError extends Error {
  override readonly name = 'SecureFormsError';
  constructor(
    readonly code: ErrorCode | ClientErrorCode,
    message: string,
    readonly status = 0,
    readonly fields?: FieldIssue[],
  ) {
    super(message);
  }
}

/** What the visitor's bundles read of a refusal body: `{ error: { code, message } }`, unchecked. */
type RefusalBody = { error?: { code?: unknown; message?: unknown } } | null | undefined;

/**
 * The code of a refusal body as the visitor's bundles (the form frame, the host-page script) must
 * read it: without zod, whose parser would cost each several kilobytes, and knowing only the
 * visitor-side codes. A visitor-side code in `{ error: { code } }` is kept; anything else is
 * INTERNAL, as `toSecureFormsError` reads it (a test holds the two equal on every refusal body),
 * except that a known code without a message is kept.
 */
export function visitorSideRefusalCode(body: unknown): ErrorCode {
  const code = (body as RefusalBody)?.error?.code;
  return typeof code === 'string' && VISITOR_SIDE_ERROR_CODE_SET.has(code) ? (code as ErrorCode) : 'INTERNAL';
}

/** A refusal read as `visitorSideRefusalCode` reads it, as the error `toSecureFormsError` would make. */
export function toVisitorSideError(status: number, body: unknown): SecureFormsError {
  const code = visitorSideRefusalCode(body);
  const error = (body as RefusalBody)?.error;
  const message = error?.code === code && typeof error.message === 'string' ? error.message : `Unexpected response (HTTP ${status}).`;
  return new SecureFormsError(code, message, status);
}
