/** Workspace tokens for tests: a site's key pairs, and tokens minted with jose as a brand's workspace backend does. */
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import type { SiteConfig } from '../sites/schema.js';
import type { WorkspaceTokenKey } from '../sites/workspace-tokens.js';

export const ISSUER = 'https://workspace.brand.example';
export const AUDIENCE = 'urn:secure-forms:site:demo';

/** A signing key of the workspace backend: the private key and the public JWK the site registers. */
export interface WorkspaceKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: WorkspaceTokenKey;
}

export async function workspaceKey(kid: string): Promise<WorkspaceKey> {
  const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kty: 'EC', kid, alg: 'ES256', use: 'sig' } };
}

/** The site with these keys registered for workspace tokens. */
export function withWorkspaceKeys(site: SiteConfig, keys: WorkspaceKey[], audience = AUDIENCE): SiteConfig {
  return { ...site, workspaceTokens: { issuer: ISSUER, audience, keys: keys.map((k) => k.publicJwk) } };
}

/**
 * A token for the agent `sub`, issued at `now` (epoch ms) and living `lifetimeSeconds`; `claims`
 * and `header` override or add (undefined drops a claim).
 */
export async function mintToken(
  key: WorkspaceKey,
  now: number,
  options: { sub?: string; roles?: string[]; lifetimeSeconds?: number; claims?: JWTPayload; header?: Record<string, unknown> } = {},
): Promise<string> {
  const iat = Math.floor(now / 1000);
  const payload: JWTPayload = {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: options.sub ?? 'brand-agent-alice',
    roles: options.roles ?? ['agent'],
    jti: randomUUID(),
    iat,
    exp: iat + (options.lifetimeSeconds ?? 120),
    ...options.claims,
  };
  for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', kid: key.kid, typ: 'JWT', ...options.header }).sign(key.privateKey);
}

/** The body of `POST /v1/sessions/token-exchange` for `token`. */
export function exchangeBody(token: string, siteId = 'demo') {
  return {
    siteId,
    grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
    subject_token: token,
    subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
  };
}
