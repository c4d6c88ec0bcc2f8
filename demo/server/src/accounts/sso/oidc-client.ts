/**
 * The OpenID Connect relying party, per site: openid-client (v6, on oauth4webapi) does the
 * protocol — discovery, the authorization URL with PKCE, the code exchange, and the ID token's
 * validation (signature on the provider's keys, issuer, audience, expiry, nonce, and the
 * authorization response's `iss` where the provider sends one). What is this product's own is
 * only the wiring: the provider's metadata read once per site (again after a failure), the app's
 * clock handed to the library as a clock skew (so that tests move time for ID tokens as for
 * everything else), and plain http allowed for a provider on this machine only.
 */
import type * as client from 'openid-client';
import type { SiteConfig } from '../../sites/schema.js';
import { isLoopbackHttp, type SsoSettings } from './settings.js';

/** How long a discovery or a token request may take, in seconds. */
const TIMEOUT_SECONDS = 10;

/**
 * openid-client, loaded at a site's first single sign-on (its every use is asynchronous already):
 * most deployments have no single sign-on, and a start never needs it. A failed load is tried
 * again at the next use.
 */
let loading: Promise<typeof client> | undefined;
export function openidClient(): Promise<typeof client> {
  loading ??= import('openid-client').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** What the relying party needs beyond the site's settings. */
export interface OidcDeps {
  /** The app clock (epoch ms). */
  clock: () => number;
  /** The client secret named by the site's `clientSecretEnv`. */
  secret: (site: SiteConfig) => string;
  /** The PCI origin browsers reach: the redirect URI is derived from it. */
  pciOrigin: string;
  /** Another fetch (tests); node's by default. */
  fetch?: client.CustomFetch;
}

/** The redirect URI of a site: the one to register at its provider. */
export function redirectUri(pciOrigin: string, siteId: string): string {
  return `${new URL(pciOrigin).origin}/v1/sso/${encodeURIComponent(siteId)}/callback`;
}

/** The relying party of every site with single sign-on. */
export class OidcClients {
  private readonly metadata = new Map<string, Promise<client.ServerMetadata>>();

  constructor(private readonly deps: OidcDeps) {}

  private options(library: typeof client, settings: SsoSettings): client.DiscoveryRequestOptions {
    return {
      timeout: TIMEOUT_SECONDS,
      ...(isLoopbackHttp(settings.issuer) ? { execute: [library.allowInsecureRequests] } : {}),
      ...(this.deps.fetch ? { [library.customFetch]: this.deps.fetch } : {}),
    };
  }

  /** The provider's metadata, discovered once per site (a failed discovery is tried again next time). */
  private async serverMetadata(site: SiteConfig, settings: SsoSettings): Promise<client.ServerMetadata> {
    let found = this.metadata.get(site.id);
    if (!found) {
      found = openidClient()
        .then((library) =>
          library.discovery(new URL(settings.issuer), settings.clientId, undefined, library.None(), this.options(library, settings)),
        )
        .then((config) => ({ ...config.serverMetadata() }));
      this.metadata.set(site.id, found);
      found.catch(() => this.metadata.delete(site.id));
    }
    return found;
  }

  /** A configuration for one request, on the app clock. */
  async configuration(site: SiteConfig): Promise<client.Configuration> {
    const settings = site.sso;
    if (!settings) throw new Error(`The site ${site.id} has no single sign-on.`);
    const server = await this.serverMetadata(site, settings);
    const client = await openidClient();
    const config = new client.Configuration(
      server,
      settings.clientId,
      // Positive when the app clock is ahead of the wall clock: the library then assumes the app's now.
      { [client.clockSkew]: Math.round((this.deps.clock() - Date.now()) / 1000) },
      client.ClientSecretBasic(this.deps.secret(site)),
    );
    if (isLoopbackHttp(settings.issuer)) client.allowInsecureRequests(config);
    if (this.deps.fetch) config[client.customFetch] = this.deps.fetch;
    config.timeout = TIMEOUT_SECONDS;
    return config;
  }

  /** The authorization URL: code flow, PKCE (S256), state and nonce. */
  async authorizationUrl(site: SiteConfig, checks: { codeVerifier: string; state: string; nonce: string }): Promise<URL> {
    const config = await this.configuration(site);
    const client = await openidClient();
    return client.buildAuthorizationUrl(config, {
      redirect_uri: redirectUri(this.deps.pciOrigin, site.id),
      scope: site.sso!.scopes.join(' '),
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    });
  }

  /**
   * Exchange the code in the callback's query for tokens and return the validated ID token's
   * claims; openid-client's errors propagate (single-sign-on.ts names them).
   */
  async exchange(site: SiteConfig, query: URLSearchParams, checks: { codeVerifier: string; state: string; nonce: string }) {
    const config = await this.configuration(site);
    const redirect = redirectUri(this.deps.pciOrigin, site.id);
    // The URL the provider sent the browser to, as registered (not as a proxy rewrote it).
    const current = new URL(`${redirect}?${query.toString()}`);
    const client = await openidClient();
    const tokens = await client.authorizationCodeGrant(
      config,
      current,
      { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, expectedNonce: checks.nonce, idTokenExpected: true },
      { redirect_uri: redirect },
    );
    const claims = tokens.claims();
    if (!claims) throw new Error('The token response had no ID token.');
    return claims;
  }

  /** Where to end the session at the provider (RP-initiated logout), when it has an end_session_endpoint. */
  async endSessionUrl(site: SiteConfig, postLogoutRedirectUri: string): Promise<string | undefined> {
    const config = await this.configuration(site);
    if (!config.serverMetadata().end_session_endpoint) return undefined;
    const client = await openidClient();
    return client.buildEndSessionUrl(config, { client_id: site.sso!.clientId, post_logout_redirect_uri: postLogoutRedirectUri }).toString();
  }
}
