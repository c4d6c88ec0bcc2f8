/**
 * Single sign-on with OpenID Connect: an operator signs in at the brand's identity provider (the
 * site's `sso` settings) instead of with a password. The browser goes to
 * `GET /v1/sso/{siteId}/start`, on to the provider, back to `GET /v1/sso/{siteId}/callback`, and
 * from there to the workspace page with a one-time hand-off code in the URL fragment
 * (`#sso=<code>`); the page exchanges it at `POST /v1/sso/complete` for the session (or the
 * second-factor challenge) a password sign-in gives. No session token ever travels in a URL.
 */
import * as z from 'zod/mini';
import { siteIdSchema } from './common.js';

/** The URL fragment parameter that carries the hand-off code back to the workspace page. */
export const SSO_HANDOFF_PARAM = 'sso';

/**
 * Why a single sign-on was refused, as `fields[].reason` (path `sso`) of the refusal, each with its
 * next step. The codes are those every sign-in shares: `404 NOT_FOUND` for `not_configured`,
 * `403 FORBIDDEN` for `not_mapped` (the operator is disabled), `503 SERVICE_BUSY` for
 * `unavailable`, `401 INVALID_CREDENTIALS` for the others. A reason, once shipped, never changes
 * meaning.
 */
export const SSO_REFUSALS = {
  not_configured: 'This site has no single sign-on: sign in with a username and password, or set up sso in the sites file.',
  return_to: "Start the sign-in from the site's own workspace page (one of its brand origins).",
  state: 'The sign-in was already used, has timed out or was started in another browser: start it again.',
  provider_error: 'The identity provider did not sign you in: start again, or ask its administrator.',
  token:
    'The identity provider answered with a token this site cannot accept: start again; if it persists, ask an administrator to check the client id and issuer.',
  claims: "The identity provider's token lacks the claims the site maps: ask an administrator to check the claim mapping.",
  not_mapped:
    "Your account at the identity provider has no group that grants access here: ask your identity provider's administrator to add you to the group, then sign in again.",
  unavailable: 'The identity provider could not be reached: try again in a minute.',
  handoff: 'The sign-in hand-off was already used or has timed out: sign in again.',
} as const;
export type SsoRefusal = keyof typeof SSO_REFUSALS;

/** `GET /v1/sso/{siteId}`: the site has single sign-on with this provider (its name on the button). */
export const ssoProviderResponseSchema = z.object({ providerName: z.string() });
export type SsoProviderResponse = z.infer<typeof ssoProviderResponseSchema>;

/** `POST /v1/sso/complete`: the hand-off code from the URL fragment. */
export const ssoCompleteRequestSchema = z.object({
  siteId: siteIdSchema,
  /** Single use, a minute; a credential, never logged. */
  handoff: z.string().check(z.minLength(20), z.maxLength(100), z.regex(/^[A-Za-z0-9_-]+$/)),
});
export type SsoCompleteRequest = z.infer<typeof ssoCompleteRequestSchema>;

/** `POST /v1/sso/{siteId}/logout` → 200: the session ended; `endSessionUrl` is where to sign out at the provider, when it has one. */
export const ssoLogoutResponseSchema = z.object({
  endSessionUrl: z.optional(z.string()),
});
export type SsoLogoutResponse = z.infer<typeof ssoLogoutResponseSchema>;
