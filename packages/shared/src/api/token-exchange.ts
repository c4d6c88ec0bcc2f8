/**
 * Signing an agent in from the brand's own workspace (`POST /v1/sessions/token-exchange`), in the
 * manner of OAuth 2.0 Token Exchange (RFC 8693): the brand's workspace backend mints a short-lived
 * JWT for the signed-in agent, signed with a key the site registered, and the workspace exchanges
 * it for a Secure Forms session, the one a password sign-in gives. The body is JSON, as the rest
 * of the API (RFC 8693's form-encoded body is refused with 415 UNSUPPORTED_MEDIA_TYPE), with
 * RFC 8693's parameter names.
 */
import * as z from 'zod/mini';
import type { ErrorCode } from '../errors.js';
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

/** Whether an `amr` list (a workspace token's, an OpenID Connect ID token's) shows a second factor. */
export function amrShowsSecondFactor(amr: readonly string[]): boolean {
  return amr.some((method) => (SECOND_FACTOR_AMR as readonly string[]).includes(method));
}

/**
 * Why an exchange was refused, as `fields[].reason` of the refusal, each with its next step (the
 * refusal's code: {@link WORKSPACE_TOKEN_REFUSAL_CODES}). Mint a new token after fixing what the
 * reason names (the jti is taken last: a token refused after it, for its agent, role or second
 * factor, is spent). A reason, once shipped, never changes meaning.
 */
export const WORKSPACE_TOKEN_REFUSALS = {
  not_configured: 'This site takes no workspace tokens: register its workspace keys in the sites file (workspaceTokens).',
  malformed: 'Send the compact JWT exactly as the workspace backend minted it.',
  algorithm: 'Sign with the algorithm of a registered key (ES256, ES384, EdDSA, RS256 or PS256); never none or HS*.',
  unknown_key: "Name a key registered for the site in the token's kid header, or register the new key first.",
  signature: 'Sign with the private key of the kid the header names.',
  wrong_issuer: "Set iss to the site's workspaceTokens.issuer.",
  wrong_audience: "Set aud to the site's workspaceTokens.audience.",
  expired: 'Mint a new token just before the exchange.',
  lifetime: 'Mint tokens that live at most 300 seconds (exp - iat).',
  issued_in_future: "Check the workspace backend's clock (iat is ahead of this server's).",
  not_yet_valid: "Leave nbf out, or check the workspace backend's clock.",
  missing_claim: 'Include iss, aud, sub, roles (a list), jti, iat and exp.',
  replayed: 'Mint a new token for each exchange: each jti works once.',
  unknown_agent: "Set sub to the operator's externalId in the sites file; if it is right, the account may be locked: ask an administrator.",
  role: "Include the operator's role in the sites file in roles.",
  second_factor:
    "Have your identity provider perform a second factor and say so in amr (mfa, otp, hwk or swk), or ask an administrator to set up the operator's authenticator.",
  keys_unavailable:
    "Try again after Retry-After. If it persists, make the site's jwksUri answer 200 with a JSON Web Key Set of public signing keys only (each with kid and alg), under 64 KiB, within 5 seconds.",
} as const;
export type WorkspaceTokenRefusal = keyof typeof WORKSPACE_TOKEN_REFUSALS;

/**
 * The code of each refusal reason: what a workspace backend tells apart (and its status: 401, or
 * 403 for `WORKSPACE_TOKEN_ROLE_NOT_ALLOWED` and `SECOND_FACTOR_REQUIRED`, or 503 with Retry-After
 * for `SERVICE_BUSY`: the site's published key set, its `jwksUri`, could not be read, so no token
 * signed by one of its keys can be checked now; nothing was spent).
 *
 * What an anonymous caller learns: the codes that need a valid signature (every one but
 * `WORKSPACE_TOKEN_INVALID` and `WORKSPACE_TOKEN_UNTRUSTED`) are given only for a token a key of
 * the site signed, since the signature is checked before any claim and the jti is taken last. A
 * forger learns that its token is unreadable or untrusted, which it knew, and which key ids are
 * registered, which are public (a JWKS publishes them). The holder of a genuine token (the brand's
 * backend, or whoever stole a token) learns what the brand's integrator needs: expired, wrong
 * audience, already used, role or second factor. An unknown agent and a locked one stay one
 * answer (`INVALID_CREDENTIALS`, `unknown_agent`), as with a password: the lock is not told.
 */
export const WORKSPACE_TOKEN_REFUSAL_CODES = {
  not_configured: 'WORKSPACE_TOKEN_UNTRUSTED',
  malformed: 'WORKSPACE_TOKEN_INVALID',
  algorithm: 'WORKSPACE_TOKEN_UNTRUSTED',
  unknown_key: 'WORKSPACE_TOKEN_UNTRUSTED',
  signature: 'WORKSPACE_TOKEN_UNTRUSTED',
  wrong_issuer: 'WORKSPACE_TOKEN_WRONG_AUDIENCE',
  wrong_audience: 'WORKSPACE_TOKEN_WRONG_AUDIENCE',
  expired: 'WORKSPACE_TOKEN_EXPIRED',
  lifetime: 'WORKSPACE_TOKEN_INVALID',
  issued_in_future: 'WORKSPACE_TOKEN_EXPIRED',
  not_yet_valid: 'WORKSPACE_TOKEN_EXPIRED',
  missing_claim: 'WORKSPACE_TOKEN_INVALID',
  replayed: 'WORKSPACE_TOKEN_REPLAYED',
  unknown_agent: 'INVALID_CREDENTIALS',
  role: 'WORKSPACE_TOKEN_ROLE_NOT_ALLOWED',
  second_factor: 'SECOND_FACTOR_REQUIRED',
  keys_unavailable: 'SERVICE_BUSY',
} as const satisfies Record<WorkspaceTokenRefusal, ErrorCode>;

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
