/**
 * Workspace token keys read from the site's `jwksUri`: a brand rotates its keys by publishing them,
 * without a restart. jose's remote key set caches the document (5 minutes) and asks again for an
 * unknown kid only after a cooldown (30 s); both read the system clock, so these tests move
 * `Date` with the app's clock.
 */
import { randomUUID } from 'node:crypto';
import { WORKSPACE_TOKEN_REFUSALS } from '@secure-forms/shared';
import { decodeProtectedHeader, exportJWK, generateKeyPair, type CompactJWSHeaderParameters } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness } from '../test/harness.js';
import { SiteWorkspaceKeys } from './workspace-keys.js';
import { jwksServer, type JwksServer } from '../test/jwks-server.js';
import { AUDIENCE, exchangeBody, ISSUER, mintToken, workspaceKey, type WorkspaceKey } from '../test/workspace-tokens.js';

const COOLDOWN_MS = 30_000;
const CACHE_MAX_AGE_MS = 300_000;

afterEach(() => {
  vi.useRealTimers();
});

/** The demo site trusting the keys `jwks` publishes (and `inline` keys in the sites file, if any). */
async function setup(jwks: JwksServer, inline: WorkspaceKey[] = []) {
  vi.useFakeTimers({ toFake: ['Date'] });
  const h = await harness({
    site: (s) => ({
      ...s,
      workspaceTokens: {
        issuer: ISSUER,
        audience: AUDIENCE,
        jwksUri: jwks.url,
        ...(inline.length > 0 ? { keys: inline.map((k) => k.publicJwk) } : {}),
      },
    }),
  });
  vi.setSystemTime(h.now());
  const advance = (ms: number) => {
    h.advance(ms);
    vi.setSystemTime(h.now());
  };
  const exchange = async (token: string, address = '127.0.0.1') => {
    const res = await h.request('/v1/sessions/token-exchange', { body: exchangeBody(token), address });
    const body = (await res.json()) as { error?: { code: string; message: string; fields?: { path: string; reason: string }[] } };
    return { status: res.status, retryAfter: res.headers.get('Retry-After'), body };
  };
  return { h, advance, exchange };
}

const reasonOf = (answer: { body: { error?: { fields?: { reason: string }[] } } }) => answer.body.error?.fields?.[0]?.reason;

describe('workspace token keys from the site JWKS URL', () => {
  it('accepts a key the JWKS publishes, a key added later once the cooldown has passed (no restart), and refuses a removed key', async () => {
    const [k1, k2] = [await workspaceKey('k1'), await workspaceKey('k2')];
    const jwks = await jwksServer([k1.publicJwk]);
    const { h, advance, exchange } = await setup(jwks);
    expect((await exchange(await mintToken(k1, h.now()))).status).toBe(201);
    expect(jwks.requests).toBe(1);

    // Published now, but the set was read a moment ago: refused until the cooldown passes.
    jwks.document = { keys: [k1.publicJwk, k2.publicJwk] };
    const early = await exchange(await mintToken(k2, h.now()));
    expect(early.status).toBe(401);
    expect(reasonOf(early)).toBe('unknown_key');
    expect(jwks.requests).toBe(1);
    advance(COOLDOWN_MS + 1000);
    expect((await exchange(await mintToken(k2, h.now()))).status).toBe(201);
    expect(jwks.requests).toBe(2);

    // Removed: refused once the cached set has aged out.
    jwks.document = { keys: [k2.publicJwk] };
    advance(CACHE_MAX_AGE_MS + 1000);
    const removed = await exchange(await mintToken(k1, h.now()));
    expect(removed).toMatchObject({ status: 401, body: { error: { code: 'WORKSPACE_TOKEN_UNTRUSTED' } } });
    expect(reasonOf(removed)).toBe('unknown_key');
    expect((await exchange(await mintToken(k2, h.now()))).status).toBe(201);
  });

  it('fetches the JWKS at most once for 50 concurrent tokens naming unknown kids, again after the cooldown, and spends no jti', async () => {
    const k1 = await workspaceKey('k1');
    const jwks = await jwksServer([k1.publicJwk]);
    const { h, advance, exchange } = await setup(jwks);
    const strangers = await Promise.all(Array.from({ length: 50 }, (_, i) => workspaceKey(`random-${randomUUID()}-${i}`)));
    const jti = 'jti-of-a-genuine-token';
    const burst = async (round: number) =>
      Promise.all(strangers.map(async (key, i) => exchange(await mintToken(key, h.now(), { claims: { jti } }), `10.${round}.0.${i}`)));
    for (const answer of await burst(1)) {
      expect(answer.status).toBe(401);
      expect(answer.body.error?.code).toBe('WORKSPACE_TOKEN_UNTRUSTED');
      expect(reasonOf(answer)).toBe('unknown_key');
    }
    expect(jwks.requests).toBe(1);
    await burst(2);
    expect(jwks.requests).toBe(1);
    advance(COOLDOWN_MS + 1000);
    await burst(3);
    expect(jwks.requests).toBe(2);
    // None of them took the jti.
    expect((await exchange(await mintToken(k1, h.now(), { claims: { jti } }))).status).toBe(201);
  });

  it('refuses with 503 SERVICE_BUSY and Retry-After while the JWKS cannot be read, audits it, and asks again only after the cooldown', async () => {
    const k1 = await workspaceKey('k1');
    const jwks = await jwksServer([k1.publicJwk]);
    jwks.behaviour = { kind: 'status', status: 500 };
    const { h, advance, exchange } = await setup(jwks);
    const down = await exchange(await mintToken(k1, h.now()));
    expect(down).toMatchObject({
      status: 503,
      body: { error: { code: 'SERVICE_BUSY', fields: [{ path: 'subject_token', reason: 'keys_unavailable' }] } },
    });
    expect(down.body.error?.message).toContain(WORKSPACE_TOKEN_REFUSALS.keys_unavailable);
    expect(Number(down.retryAfter)).toBeGreaterThanOrEqual(1);
    expect(Number(down.retryAfter)).toBeLessThanOrEqual(COOLDOWN_MS / 1000);
    const lines = h.audit.entries.filter((e) => e.action === 'login.token-exchange');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      outcome: 'refused',
      reason: 'SERVICE_BUSY',
      workspaceToken: { problem: 'keys_unavailable', jwks: 'status' },
    });

    // While it is down, tokens (known kids or random ones) do not make the server ask again.
    const others = await Promise.all(
      Array.from({ length: 20 }, async (_, i) => exchange(await mintToken(await workspaceKey(`any-${i}`), h.now()), `10.2.0.${i}`)),
    );
    expect(others.map((a) => a.status)).toEqual(Array(20).fill(503));
    expect(jwks.requests).toBe(1);

    jwks.behaviour = { kind: 'document' };
    advance(COOLDOWN_MS + 1000);
    expect((await exchange(await mintToken(k1, h.now()))).status).toBe(201);
    expect(jwks.requests).toBe(2);
  });

  it('refuses a JWKS that is too large, not JSON, or holds a private, symmetric or unfit key: none of its keys is trusted', async () => {
    const k1 = await workspaceKey('k1');
    const pair = await generateKeyPair('ES256', { extractable: true });
    const leaked = { ...(await exportJWK(pair.privateKey)), kid: 'leaked', alg: 'ES256' };
    const documents: [string, string][] = [
      ['too large', JSON.stringify({ keys: [k1.publicJwk], padding: 'x'.repeat(70_000) })],
      ['not JSON', '<html>'],
      ['a private key', JSON.stringify({ keys: [k1.publicJwk, leaked] })],
      ['a symmetric key', JSON.stringify({ keys: [k1.publicJwk, { kty: 'oct', kid: 'h', k: 'c2VjcmV0', alg: 'HS256' }] })],
      ['a key without alg', JSON.stringify({ keys: [{ ...k1.publicJwk, alg: undefined }] })],
      ['no keys', JSON.stringify({ keys: [] })],
    ];
    for (const [what, body] of documents) {
      const jwks = await jwksServer();
      jwks.behaviour = { kind: 'body', body };
      const { h, exchange } = await setup(jwks);
      const answer = await exchange(await mintToken(k1, h.now()));
      expect(answer.status, what).toBe(503);
      expect(reasonOf(answer), what).toBe('keys_unavailable');
      vi.useRealTimers();
    }
  });

  it('verifies keys of the sites file without asking the JWKS, and refuses none and HS256 before any fetch', async () => {
    const [inline, published] = [await workspaceKey('inline'), await workspaceKey('published')];
    const jwks = await jwksServer([published.publicJwk]);
    jwks.behaviour = { kind: 'status', status: 503 };
    const { h, exchange } = await setup(jwks, [inline]);
    expect((await exchange(await mintToken(inline, h.now()))).status).toBe(201);
    expect(jwks.requests).toBe(0);
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(h.now() / 1000);
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'brand-agent-alice', roles: ['agent'], jti: 'j', iat: now, exp: now + 60 };
    const none = await exchange(`${part({ alg: 'none', kid: 'published' })}.${part(claims)}.`);
    expect(reasonOf(none)).toBe('algorithm');
    const hs = await exchange(`${part({ alg: 'HS256', kid: 'published' })}.${part(claims)}.${'A'.repeat(43)}`);
    expect(reasonOf(hs)).toBe('algorithm');
    const noKid = await exchange(await mintToken(published, h.now(), { header: { kid: undefined } }));
    expect(reasonOf(noKid)).toBe('unknown_key');
    expect(jwks.requests).toBe(0);
  });

  it('gives up on a key set that does not answer within its timeout, and waits the cooldown before asking again', async () => {
    const jwks = await jwksServer();
    jwks.behaviour = { kind: 'hang' };
    let now = 0;
    const keys = new SiteWorkspaceKeys({ issuer: ISSUER, audience: AUDIENCE, jwksUri: jwks.url }, () => now, { timeoutMs: 200 });
    const token = await mintToken(await workspaceKey('k1'), Date.now());
    const [protectedHeader, payload, signature] = token.split('.') as [string, string, string];
    const lookUp = () =>
      keys.getKey(decodeProtectedHeader(token) as CompactJWSHeaderParameters, { protected: protectedHeader, payload, signature });
    await expect(lookUp()).rejects.toMatchObject({ name: 'JwksUnavailable', failure: 'timeout', retryAfterSeconds: 30 });
    now += 10_000;
    await expect(lookUp()).rejects.toMatchObject({ failure: 'timeout', retryAfterSeconds: 20 });
    expect(jwks.requests).toBe(1);
  });
});
