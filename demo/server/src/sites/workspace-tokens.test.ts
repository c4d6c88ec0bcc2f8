/** The workspace token keys in the sites file: public asymmetric JWKs only, refused at start otherwise. */
import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseSites } from './index.js';
import { problem, withSite } from './sites-test-support.js';

function jwk(type: 'ec' | 'ed25519' | 'rsa', kid: string, bits = 2048, priv = false): Record<string, unknown> {
  const { publicKey, privateKey } =
    type === 'ec'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : type === 'ed25519'
        ? generateKeyPairSync('ed25519')
        : generateKeyPairSync('rsa', { modulusLength: bits });
  const alg = type === 'ec' ? 'ES256' : type === 'ed25519' ? 'EdDSA' : 'RS256';
  return { ...(priv ? privateKey : publicKey).export({ format: 'jwk' }), kid, alg };
}

function withTokens(workspaceTokens: unknown): string {
  return withSite((site) => {
    site.workspaceTokens = workspaceTokens;
  });
}

const base = { issuer: 'https://workspace.example.com', audience: 'urn:secure-forms:site:demo' };

describe('workspace token keys in the sites file', () => {
  it('takes an issuer, an audience and several public keys at once (ES256, EdDSA, RS256), each with its kid', () => {
    const keys = [jwk('ec', 'k-2026-11'), jwk('ed25519', 'k-2026-12'), jwk('rsa', 'k-rsa')];
    const site = parseSites(withTokens({ ...base, keys }), { PORT: '8080' }).get('demo')!;
    expect(site.workspaceTokens?.keys?.map((k) => k.kid)).toEqual(['k-2026-11', 'k-2026-12', 'k-rsa']);
    expect(site.workspaceTokens).toMatchObject(base);
  });

  it('refuses a private key, naming the key and what to register instead', () => {
    const message = problem(withTokens({ ...base, keys: [jwk('ec', 'leaked', 0, true)] }));
    expect(message).toMatch(/workspaceTokens\.keys\.0: the key "leaked" holds private key material \(d\).*register only the public key/);
  });

  it('refuses a symmetric key, an unknown algorithm, "none", HS256, and a key that does not fit its algorithm', () => {
    expect(problem(withTokens({ ...base, keys: [{ kty: 'oct', kid: 'h', k: 'c2VjcmV0', alg: 'HS256' }] }))).toMatch(
      /the key "h" is a symmetric key/,
    );
    for (const alg of ['none', 'HS256', 'ES999']) {
      expect(problem(withTokens({ ...base, keys: [{ ...jwk('ec', 'a'), alg }] }))).toMatch(
        /the key "a" needs "alg", one of ES256.*never "none" or HS\*/,
      );
    }
    expect(problem(withTokens({ ...base, keys: [{ ...jwk('ec', 'a') }, { ...jwk('ed25519', 'b'), alg: 'ES256' }] }))).toMatch(
      /keys\.1: the key "b" is not a key for ES256/,
    );
    const noAlg = jwk('ec', 'c');
    delete noAlg.alg;
    expect(problem(withTokens({ ...base, keys: [noAlg] }))).toMatch(/the key "c" needs "alg"/);
  });

  it('refuses an RSA key under 2048 bits, a key without kid, two keys with one kid, and no key at all', () => {
    expect(problem(withTokens({ ...base, keys: [jwk('rsa', 'small', 1024)] }))).toMatch(/the key "small" is an RSA key under 2048 bits/);
    const noKid = jwk('ec', 'x');
    delete noKid.kid;
    expect(problem(withTokens({ ...base, keys: [noKid] }))).toMatch(/workspaceTokens\.keys\.0\.kid/);
    expect(problem(withTokens({ ...base, keys: [jwk('ec', 'same'), jwk('ec', 'same')] }))).toMatch(/kid\) must be unique/);
    expect(problem(withTokens({ ...base, keys: [] }))).toMatch(/workspaceTokens\.keys/);
    expect(problem(withTokens({ audience: base.audience, keys: [jwk('ec', 'k')] }))).toMatch(/workspaceTokens\.issuer/);
  });
});

describe('the published key set of a site (jwksUri)', () => {
  it('takes an https jwksUri, alone or beside keys, and http only on this machine', () => {
    for (const jwksUri of [
      'https://workspace.example.com/.well-known/jwks.json',
      'http://127.0.0.1:5700/jwks.json',
      'http://localhost/jwks',
    ]) {
      const site = parseSites(withTokens({ ...base, jwksUri }), { PORT: '8080' }).get('demo')!;
      expect(site.workspaceTokens?.jwksUri).toBe(jwksUri);
    }
    const both = parseSites(withTokens({ ...base, jwksUri: 'https://w.example.com/jwks', keys: [jwk('ec', 'k')] }), { PORT: '8080' });
    expect(both.get('demo')!.workspaceTokens?.keys?.map((k) => k.kid)).toEqual(['k']);
  });

  it('refuses an http jwksUri off this machine, one with credentials, one that is not a URL, and neither keys nor jwksUri', () => {
    for (const jwksUri of [
      'http://workspace.example.com/jwks.json',
      'https://user:pass@workspace.example.com/jwks',
      'jwks.json',
      'ftp://x/',
    ]) {
      expect(problem(withTokens({ ...base, jwksUri })), jwksUri).toMatch(/workspaceTokens\.jwksUri: must be an https URL/);
    }
    expect(problem(withTokens({ ...base }))).toMatch(/needs "keys" \(public JWKs\), "jwksUri"/);
  });
});
