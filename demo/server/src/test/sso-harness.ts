/** Single sign-on tests' shared steps: a harness whose demo site signs in with a test OpenID Provider, and the browser's walk through it. */
import { randomBytes, createHash } from 'node:crypto';
import { expect } from 'vitest';
import { SESSION_HEADER } from '@secure-forms/shared';
import { BRAND, harness, PCI } from './harness.js';
import { CLIENT_ID, CLIENT_SECRET, startTestProvider } from './oidc-provider.js';
import { redirectUri } from '../accounts/sso/oidc-client.js';
import type { SsoSettings } from '../accounts/sso/settings.js';

export const RETURN_TO = `${BRAND}/agent`;
export const SECRET_ENV = 'SECURE_FORMS_SSO_SECRET_DEMO';

/** The demo site's single sign-on settings for `issuer`: sf-agents → agent, sf-observers → agent with the `observer` profile (no permission). */
export function ssoSettings(issuer: string): SsoSettings {
  return {
    providerName: 'Test IdP',
    issuer,
    clientId: CLIENT_ID,
    clientSecretEnv: SECRET_ENV,
    scopes: ['openid', 'profile', 'groups'],
    claims: { subject: 'sub', displayName: 'name', groups: 'groups' },
    groups: [
      { group: 'sf-agents', role: 'agent', profile: 'agent' },
      { group: 'sf-observers', role: 'agent', profile: 'observer' },
    ],
  };
}

/**
 * A token endpoint answer a test rewrites: the fetch the OpenID Connect client uses goes through
 * `tamper` (when set) for the provider's token endpoint.
 */
export interface Tamper {
  tokenResponse?: (body: Record<string, unknown>) => Record<string, unknown>;
}

/** A harness on the wall clock whose demo site signs in with a fresh test provider; both close when the test ends. */
export async function ssoHarness(options: { idTokenTtl?: number } = {}) {
  const op = await startTestProvider({
    redirectUris: [redirectUri(PCI, 'demo')],
    postLogoutRedirectUris: [RETURN_TO],
    ...(options.idTokenTtl ? { idTokenTtl: options.idTokenTtl } : {}),
  });
  const tamper: Tamper = {};
  const fetchThrough = async (url: string, init: RequestInit) => {
    const res = await fetch(url, init);
    if (!tamper.tokenResponse || !url.endsWith('/token')) return res;
    const body = tamper.tokenResponse((await res.json()) as Record<string, unknown>);
    return new Response(JSON.stringify(body), { status: res.status, headers: { 'content-type': 'application/json' } });
  };
  const h = await harness({
    startAt: Date.now(),
    // An idle timeout of its own, to see the site's session policy apply to a single sign-on.
    site: (site) => ({
      ...site,
      session: { ...site.session, idleTimeoutSeconds: 600 },
      profiles: { ...site.profiles, observer: { permissions: [] } },
      sso: ssoSettings(op.issuer),
    }),
    sso: { secrets: (name) => (name === SECRET_ENV ? CLIENT_SECRET : undefined), fetch: fetchThrough as never },
  });
  const { onTestFinished } = await import('vitest');
  onTestFinished(() => op.close());

  /** Start a sign-in as the workspace page does: the provider's URL and the binding cookie. */
  async function start(returnTo = RETURN_TO) {
    const res = await h.request(`/v1/sso/demo/start?returnTo=${encodeURIComponent(returnTo)}`);
    expect(res.status, await res.clone().text()).toBe(302);
    const cookie = /^(secure-forms-sso=[^;]+)/.exec(res.headers.get('set-cookie') ?? '')?.[1];
    expect(cookie).toBeDefined();
    return { url: res.headers.get('location')!, cookie: cookie! };
  }

  /** The provider's redirect back, as the browser follows it. */
  const callback = async (back: URL, cookie?: string): Promise<Response> =>
    h.request(`${back.pathname}${back.search}`, cookie ? { headers: { cookie } } : {});

  /** The workspace page exchanging the hand-off code in `location`'s fragment. */
  async function complete(location: string) {
    const handoff = new URL(location).hash.replace(/^#sso=/, '');
    const res = await h.request('/v1/sso/complete', { body: { siteId: 'demo', handoff }, headers: { Origin: BRAND } });
    return {
      res,
      body: (await res.json()) as Record<string, unknown> & {
        token?: string;
        error?: { code: string; message: string; fields?: { reason: string }[] };
      },
    };
  }

  /** The whole walk: start, the provider's pages as `accountId`, the callback, the hand-off. */
  async function signIn(accountId: string) {
    const { url, cookie } = await start();
    const back = await op.signIn(url, accountId);
    const cb = await callback(back, cookie);
    expect(cb.status).toBe(303);
    return complete(cb.headers.get('location')!);
  }

  /** An ID token the provider issued to `clientId` (another one, or ours) for `nonce`, from a flow of the test's own. */
  async function mintIdToken(clientId: string, secret: string, redirect: string, nonce: string): Promise<string> {
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const auth = new URL(`${op.issuer}/auth`);
    for (const [k, v] of Object.entries({
      client_id: clientId,
      response_type: 'code',
      scope: 'openid profile groups',
      redirect_uri: redirect,
      nonce,
      state: 'test-state',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    })) {
      auth.searchParams.set(k, v);
    }
    const back = await op.signIn(auth.toString(), 'mallory');
    const res = await fetch(`${op.issuer}/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: back.searchParams.get('code')!,
        redirect_uri: redirect,
        code_verifier: verifier,
      }),
    });
    const body = (await res.json()) as { id_token?: string };
    expect(body.id_token, JSON.stringify(body)).toBeDefined();
    return body.id_token!;
  }

  const session = (token: string) => ({ [SESSION_HEADER]: token, Origin: BRAND });
  return { h, op, tamper, start, callback, complete, signIn, mintIdToken, session };
}

/** The refusal's code and reason. */
export function refusalOf(body: { error?: { code: string; fields?: { reason: string }[] } }) {
  return { code: body.error?.code, reason: body.error?.fields?.[0]?.reason };
}
