/**
 * Signing an agent in from the brand's own workspace (`POST /v1/sessions/token-exchange`), in the
 * manner of OAuth 2.0 Token Exchange (RFC 8693): the brand's workspace backend mints a short-lived
 * JWT for the signed-in agent, signed with a key the site registered, and the workspace exchanges
 * it for a Secure Forms session, the one a password sign-in gives. The body is JSON, as the rest
 * of the API (RFC 8693's form-encoded body is refused with 415 UNSUPPORTED_MEDIA_TYPE), with
 * RFC 8693's parameter names.
 */
import * as z from 'zod/mini';
import { siteIdSchema } from './common.js';
import { loginResponseSchema } from './sessions.js';

/** RFC 8693 §2.1 `grant_type`. */
export const TOKEN_EXCHANGE_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:token-exchange';
/** RFC 8693 §3: the subject token is a JWT. */
export const JWT_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:jwt';
/** The `issued_token_type` of the answer: a Secure Forms operator session (sent in `Secure-Forms-Session`). */
export const SESSION_TOKEN_TYPE = 'urn:secure-forms:token-type:session';

/** The longest a workspace token may live, `exp - iat`, in seconds. */
export const WORKSPACE_TOKEN_MAX_LIFETIME_SECONDS = 300;
/**
 * The `amr` values (RFC 8176) that show the brand's identity provider performed a second factor:
 * `mfa` (several factors), `otp` (a one-time password), `hwk` (a hardware-held key: a security key,
 * a passkey on a device), `swk` (a software-held key). With one of them the site's second factor is
 * satisfied; without, the exchange answers with the TOTP challenge a password sign-in gives.
 */
export const SECOND_FACTOR_AMR = ['mfa', 'otp', 'hwk', 'swk'] as const;

/** `POST /v1/sessions/token-exchange`: the workspace token and the site it is for. */
export const tokenExchangeRequestSchema = z.object({
  siteId: siteIdSchema,
  grant_type: z.literal(TOKEN_EXCHANGE_GRANT_TYPE),
  /** The workspace token (a compact JWS): a secret until it expires, never logged. */
  subject_token: z.string().check(z.minLength(1), z.maxLength(8192), z.regex(/^[A-Za-z0-9_.-]+$/)),
  subject_token_type: z.literal(JWT_TOKEN_TYPE),
});
export type TokenExchangeRequest = z.infer<typeof tokenExchangeRequestSchema>;

/**
 * 201: the session, as `POST /v1/sessions` answers, plus RFC 8693's `issued_token_type` and
 * `expires_in` (seconds to the session's absolute end; the site's idle timeout ends it sooner).
 * 200 with a second-factor challenge instead when the site asks this operator for one and the
 * token shows none (`secondFactorChallengeSchema`, then `POST /v1/sessions/second-factor`).
 */
export const tokenExchangeResponseSchema = z.object({
  ...loginResponseSchema.shape,
  issued_token_type: z.literal(SESSION_TOKEN_TYPE),
  expires_in: z.number(),
});
export type TokenExchangeResponse = z.infer<typeof tokenExchangeResponseSchema>;
