/**
 * The brand workspace's side of signing an agent in with a workspace token: exchange the token the
 * workspace backend minted for a Secure Forms session (`POST /v1/sessions/token-exchange`), and,
 * where the site asks for a second factor the token does not show, complete it with the agent's
 * authenticator code. The session goes to the agent panel as a password sign-in's does:
 *
 * ```ts
 * const signIn = await exchangeWorkspaceToken(pciOrigin, siteId, token);
 * if (signIn.kind === 'session') panel.session = signIn.session.token;
 * ```
 */
import { secondFactorChallengeSchema, loginResponseSchema, type LoginResponse, type SecondFactorChallenge } from './api/sessions.js';
import {
  JWT_TOKEN_TYPE,
  TOKEN_EXCHANGE_GRANT_TYPE,
  tokenExchangeResponseSchema,
  type TokenExchangeRequest,
  type TokenExchangeResponse,
} from './api/token-exchange.js';
import { requestJson, type ResponseSchema } from './http.js';

/** What an exchange gives: the session, or the second-factor step the site asks for first. */
export type WorkspaceSignIn =
  { kind: 'session'; session: TokenExchangeResponse } | { kind: 'second-factor'; challenge: SecondFactorChallenge };

/** Either answer of the exchange, told apart by `secondFactorRequired`. */
const signInSchema: ResponseSchema<WorkspaceSignIn> = {
  safeParse(data) {
    const challenge = secondFactorChallengeSchema.safeParse(data);
    if (challenge.success) return { success: true, data: { kind: 'second-factor', challenge: challenge.data } };
    const session = tokenExchangeResponseSchema.safeParse(data);
    return session.success ? { success: true, data: { kind: 'session', session: session.data } } : { success: false };
  },
};

function post(pciOrigin: string, path: string, body: unknown, signal?: AbortSignal): [URL, RequestInit] {
  return [
    new URL(path, pciOrigin),
    {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'omit',
      ...(signal ? { signal } : {}),
    },
  ];
}

/**
 * Exchange a workspace token (a JWT the brand's workspace backend signed for the agent) for a
 * Secure Forms session. The token is sent in the body only; keep it out of URLs and logs.
 *
 * @throws SecureFormsError with the refusal's code (`INVALID_CREDENTIALS` and a `fields` reason
 *   for a token that is refused, `FORBIDDEN`, `RATE_LIMITED`…), `NETWORK`, or `RESPONSE_INVALID`.
 */
export function exchangeWorkspaceToken(
  pciOrigin: string,
  siteId: string,
  token: string,
  options: { signal?: AbortSignal } = {},
): Promise<WorkspaceSignIn> {
  const body: TokenExchangeRequest = {
    siteId,
    grant_type: TOKEN_EXCHANGE_GRANT_TYPE,
    subject_token: token,
    subject_token_type: JWT_TOKEN_TYPE,
  };
  return requestJson(...post(pciOrigin, '/v1/sessions/token-exchange', body, options.signal), signInSchema);
}

/** The second step of an exchange that answered `second-factor`: the challenge and the agent's TOTP code. */
export function completeSecondFactor(
  pciOrigin: string,
  challenge: SecondFactorChallenge,
  totp: string,
  options: { signal?: AbortSignal } = {},
): Promise<LoginResponse> {
  return requestJson(
    ...post(pciOrigin, '/v1/sessions/second-factor', { challenge: challenge.challenge, totp }, options.signal),
    loginResponseSchema,
  );
}
