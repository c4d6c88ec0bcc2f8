/**
 * A real OpenID Provider for tests (npm `oidc-provider`, with its development login and consent
 * pages), on a private port: clients registered as a brand would register Secure Forms, accounts
 * whose claims (name, groups, amr) a test changes between sign-ins, and a browser-like walk through
 * its pages for tests that drive it over HTTP rather than in a browser.
 */
// The package ships no types; the root project (the e2e specs import this module) needs the declaration too.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./oidc-provider-types.d.ts" />
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { freePort } from './free-port.js';

/** The client a site registers, and another one of the same provider (for tokens meant for someone else). */
export const CLIENT_ID = 'secure-forms';
export const CLIENT_SECRET = 'test-client-secret-0123456789abcdef';
export const OTHER_CLIENT_ID = 'another-app';
export const OTHER_CLIENT_SECRET = 'another-client-secret-0123456789ab';
export const OTHER_REDIRECT = 'http://127.0.0.1:9/another-app/callback';

/** What an account's ID token says besides `sub`. */
export interface TestAccount {
  name?: string;
  groups?: string[];
}

export interface TestProvider {
  issuer: string;
  /** Set (or replace) an account's claims; the next sign-in's ID token carries them. */
  account(id: string, claims: TestAccount): void;
  /**
   * Follow an authorization URL as a browser would: sign in as `accountId` on the login page,
   * consent, and return the URL the provider sends the browser back to (the client's redirect URI
   * with `code`, `state` and `iss`).
   */
  signIn(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/** Start a provider on `port` (a free one by default) with `redirectUris` registered for the Secure Forms client. */
export async function startTestProvider(options: {
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
  port?: number;
  /** ID token lifetime in seconds (default 120). */
  idTokenTtl?: number;
}): Promise<TestProvider> {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const accounts = new Map<string, TestAccount>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk = { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: 'test-key' };
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        redirect_uris: options.redirectUris,
        post_logout_redirect_uris: options.postLogoutRedirectUris ?? [],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
      {
        client_id: OTHER_CLIENT_ID,
        client_secret: OTHER_CLIENT_SECRET,
        redirect_uris: [OTHER_REDIRECT],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    jwks: { keys: [jwk] },
    cookies: { keys: [randomUUID()] },
    claims: { openid: ['sub'], profile: ['name'], groups: ['groups'] },
    // The claims in the ID token itself (as brands configure their providers for Secure Forms).
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
    pkce: { required: () => true },
    ttl: { IdToken: options.idTokenTtl ?? 120, AccessToken: 300, Session: 3600, Grant: 3600, Interaction: 600 },
    findAccount: (_ctx: unknown, id: string) => {
      const account = accounts.get(id);
      if (!account) return undefined;
      return {
        accountId: id,
        claims: () => ({ sub: id, ...(account.name ? { name: account.name } : {}), groups: account.groups ?? [] }),
      };
    },
  });
  const server: Server = createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));

  async function signIn(authorizationUrl: string, accountId: string): Promise<URL> {
    const jar = new Map<string, string>();
    const cookieHeader = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const remember = (res: Response) => {
      for (const line of res.headers.getSetCookie()) {
        const [pair] = line.split(';');
        const eq = pair!.indexOf('=');
        const name = pair!.slice(0, eq).trim();
        const value = pair!.slice(eq + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) jar.delete(name);
        else jar.set(name, value);
      }
    };
    let url = authorizationUrl;
    let body: URLSearchParams | undefined;
    for (let hop = 0; hop < 20; hop++) {
      if (!url.startsWith(issuer)) return new URL(url);
      const res = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(body ? { body } : {}),
      });
      remember(res);
      body = undefined;
      if (res.status >= 300 && res.status < 400) {
        url = new URL(res.headers.get('location')!, url).toString();
        continue;
      }
      const page = await res.text();
      if (res.status !== 200) throw new Error(`The provider answered ${res.status}: ${page.slice(0, 300)}`);
      const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1];
      if (!action) throw new Error(`No form on the provider's page: ${page.slice(0, 300)}`);
      const prompt = /name="prompt" value="([a-z]+)"/.exec(page)?.[1];
      url = new URL(action, url).toString();
      body = new URLSearchParams(prompt === 'login' ? { prompt, login: accountId, password: 'any' } : { prompt: prompt ?? 'consent' });
    }
    throw new Error('Too many redirects at the provider.');
  }

  return {
    issuer,
    account: (id, claims) => void accounts.set(id, claims),
    signIn,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
