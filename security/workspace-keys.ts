/**
 * The workspace token keys of the suite's sites: made when the sites file is written, the public
 * JWKs registered in it, the private ones kept in the run directory for the spec that mints
 * tokens as a brand's workspace backend would (14-exchange.spec.ts).
 */
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RUN_DIR } from './env.js';

const KEYS_FILE = () => join(RUN_DIR, 'workspace-keys.json');

export const WORKSPACE_ISSUER = 'https://workspace.brand.test';
export const audienceOf = (siteId: string) => `urn:secure-forms:site:${siteId}`;

/** A private JWK with its kid and alg, as the workspace backend holds it. */
export type PrivateJwk = Record<string, unknown> & { kid: string; alg: string };

/** Make `kids` ES256 key pairs per site; write the private halves; return each site's `workspaceTokens` setting. */
export function makeWorkspaceKeys(sites: Record<string, string[]>): Record<string, unknown> {
  const privateKeys: Record<string, PrivateJwk[]> = {};
  const settings: Record<string, unknown> = {};
  for (const [siteId, kids] of Object.entries(sites)) {
    const pairs = kids.map((kid) => ({ kid, ...generateKeyPairSync('ec', { namedCurve: 'P-256' }) }));
    privateKeys[siteId] = pairs.map((p) => ({ ...p.privateKey.export({ format: 'jwk' }), kid: p.kid, alg: 'ES256' }));
    settings[siteId] = {
      issuer: WORKSPACE_ISSUER,
      audience: audienceOf(siteId),
      keys: pairs.map((p) => ({ ...p.publicKey.export({ format: 'jwk' }), kid: p.kid, alg: 'ES256', use: 'sig' })),
    };
  }
  writeFileSync(KEYS_FILE(), JSON.stringify(privateKeys), { mode: 0o600 });
  return settings;
}

/** The private JWKs of a site's workspace backend (the suite's own test keys). */
export function workspacePrivateKeys(siteId: string): PrivateJwk[] {
  return (JSON.parse(readFileSync(KEYS_FILE(), 'utf8')) as Record<string, PrivateJwk[]>)[siteId] ?? [];
}
