/** Signing in with a workspace token: POST /v1/sessions/token-exchange. */
import { createHmac, createPublicKey } from 'node:crypto';
import {
  SESSION_HEADER,
  secondFactorChallengeSchema,
  tokenExchangeResponseSchema,
  WORKSPACE_TOKEN_REFUSAL_CODES,
  WORKSPACE_TOKEN_REFUSALS,
} from '@secure-forms/shared';
import { base64url } from 'jose';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { memoryAuditSink } from '../audit/audit.js';
import { createLogger } from '../logger.js';
import { Sites } from '../sites/schema.js';
import { BRAND, harness, PASSWORD, PCI } from '../test/harness.js';
import { AUDIENCE, exchangeBody, ISSUER, mintToken, withWorkspaceKeys, workspaceKey, type WorkspaceKey } from '../test/workspace-tokens.js';
import type { SiteConfig } from '../sites/schema.js';

/** The demo site with `keys` registered, morgan (a manager) given an external id too. */
async function setup(keys?: WorkspaceKey[], change: (s: SiteConfig) => SiteConfig = (s) => s) {
  const registered = keys ?? [await workspaceKey('k1'), await workspaceKey('k2')];
  const h = await harness({
    site: (s) =>
      change(
        withWorkspaceKeys(
          { ...s, operators: s.operators.map((o) => (o.username === 'morgan' ? { ...o, externalId: 'brand-manager-morgan' } : o)) },
          registered,
        ),
      ),
  });
  const exchange = (token: string, init: { address?: string; headers?: Record<string, string> } = {}) =>
    h.request('/v1/sessions/token-exchange', { body: exchangeBody(token), ...init });
  const refusal = async (token: string) => {
    const res = await exchange(token);
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string; fields?: { reason: string }[] } } };
  };
  return { h, keys: registered, exchange, refusal };
}

describe('POST /v1/sessions/token-exchange', () => {
  it("answers a valid token with the session a password sign-in gives, under the site's idle timeout", async () => {
    const { h, keys, exchange } = await setup();
    const token = await mintToken(keys[0]!, h.now());
    const res = await exchange(token);
    expect(res.status).toBe(201);
    const body = tokenExchangeResponseSchema.parse(await res.json());
    expect(body).toMatchObject({
      operator: { username: 'alice', role: 'agent', permissions: ['use-secure-form'] },
      idleTimeoutSeconds: 900,
      issued_token_type: 'urn:secure-forms:token-type:session',
      expires_in: 43200,
    });
    const headers = { [SESSION_HEADER]: body.token };
    expect((await h.request('/v1/forms', { headers })).status).toBe(200);
    h.advance(900_000);
    expect(await (await h.request('/v1/forms', { headers })).json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
  });

  it('accepts a token signed by either registered key (rotation), and none signed by a key no longer registered', async () => {
    const [old, current] = [await workspaceKey('k-old'), await workspaceKey('k-new')];
    const both = await setup([old, current]);
    expect((await both.exchange(await mintToken(old, both.h.now()))).status).toBe(201);
    expect((await both.exchange(await mintToken(current, both.h.now()))).status).toBe(201);
    const retired = await setup([current]);
    const refused = await retired.refusal(await mintToken(old, retired.h.now()));
    expect(refused).toMatchObject({
      status: 401,
      body: { error: { code: 'WORKSPACE_TOKEN_UNTRUSTED', fields: [{ reason: 'unknown_key' }] } },
    });
  });

  it('refuses an expired token, one living over 5 minutes, one issued in the future, each past 30 s of clock skew', async () => {
    const { h, keys, refusal, exchange } = await setup();
    const key = keys[0]!;
    const reason = async (token: string) => (await refusal(token)).body.error.fields?.[0]?.reason;
    expect(await reason(await mintToken(key, h.now() - 200_000, { lifetimeSeconds: 120 }))).toBe('expired');
    // The message gives shared's next step for the reason.
    const expired = await refusal(await mintToken(key, h.now() - 200_000, { lifetimeSeconds: 120 }));
    expect(expired.body.error.message).toBe(`The workspace token was refused (expired). ${WORKSPACE_TOKEN_REFUSALS.expired}`);
    expect(await reason(await mintToken(key, h.now(), { lifetimeSeconds: 301 }))).toBe('lifetime');
    expect(await reason(await mintToken(key, h.now() + 60_000))).toBe('issued_in_future');
    // Within the tolerance: 20 s past its expiry, and issued 20 s "ahead".
    expect((await exchange(await mintToken(key, h.now() - 140_000, { lifetimeSeconds: 120 }))).status).toBe(201);
    expect((await exchange(await mintToken(key, h.now() + 20_000))).status).toBe(201);
    expect((await exchange(await mintToken(key, h.now(), { lifetimeSeconds: 300 }))).status).toBe(201);
  });

  it('requires jti, sub, roles, iat and exp', async () => {
    const { h, keys, refusal } = await setup();
    for (const claim of ['jti', 'sub', 'roles', 'iat', 'exp']) {
      const token = await mintToken(keys[0]!, h.now(), { claims: { [claim]: undefined } });
      expect((await refusal(token)).body.error.fields, claim).toEqual([{ path: 'subject_token', reason: 'missing_claim' }]);
    }
  });

  it('takes each token once: a replay is refused, and of 50 concurrent exchanges of one token exactly one gets a session', async () => {
    const { h, keys, exchange, refusal } = await setup();
    const token = await mintToken(keys[0]!, h.now());
    expect((await exchange(token)).status).toBe(201);
    expect((await refusal(token)).body.error.fields).toEqual([{ path: 'subject_token', reason: 'replayed' }]);
    const burst = await mintToken(keys[0]!, h.now());
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => (await exchange(burst, { address: `10.0.0.${i}` })).status),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(49);
    expect(await h.all('SELECT token_hash FROM sessions WHERE revoked_at IS NULL')).toHaveLength(2);
  });

  it('takes each token once across instances: two instances on one shared state, 25 exchanges each, one session', async () => {
    const keys = [await workspaceKey('k1')];
    const { h, exchange } = await setup(keys);
    const rt = h.app.services.rt;
    // A second instance on the same database and the same ephemeral state (memory here, Redis on the PostgreSQL + Redis run).
    const other = await createApp({
      store: h.app.store,
      ephemeral: rt.ephemeral,
      clock: h.now,
      config: { sites: new Sites(rt.sites.all()), pciOrigin: PCI, brandSiteId: 'demo' },
      masterKey: h.masterKey,
      paths: { frameDist: '/x', pagesDist: '/x', loaderDist: '/x', panelDist: '/x' },
      audit: memoryAuditSink(),
      logger: createLogger({ level: 'silent' }),
    });
    const token = await mintToken(keys[0]!, h.now());
    const onOther = (i: number) =>
      other.pci.request(
        '/v1/sessions/token-exchange',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(exchangeBody(token)) },
        { incoming: { socket: { remoteAddress: `10.1.0.${i}` } } },
      );
    const statuses = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => (await (i % 2 ? onOther(i) : exchange(token, { address: `10.0.0.${i}` }))).status),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 401)).toHaveLength(49);
  });

  it("refuses a wrong audience, a wrong issuer, another key with a registered kid, alg none, and HS256 keyed with the public key's bytes", async () => {
    const { h, keys, refusal } = await setup();
    const key = keys[0]!;
    const reason = async (token: string) => (await refusal(token)).body.error.fields?.[0]?.reason;
    expect(await reason(await mintToken(key, h.now(), { claims: { aud: 'urn:secure-forms:site:other' } }))).toBe('wrong_audience');
    expect(await reason(await mintToken(key, h.now(), { claims: { iss: 'https://attacker.example' } }))).toBe('wrong_issuer');
    const impostor = { ...(await workspaceKey('k1')) };
    expect(await reason(await mintToken(impostor, h.now()))).toBe('signature');
    const now = Math.floor(h.now() / 1000);
    const claims = { iss: ISSUER, aud: AUDIENCE, sub: 'brand-agent-alice', roles: ['agent'], jti: 'j-1', iat: now, exp: now + 60 };
    const part = (value: unknown) => base64url.encode(JSON.stringify(value));
    const unsigned = `${part({ alg: 'none', kid: 'k1' })}.${part(claims)}.`;
    expect(await reason(unsigned)).toBe('algorithm');
    const pem = createPublicKey({ key: key.publicJwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
    const input = `${part({ alg: 'HS256', kid: 'k1', typ: 'JWT' })}.${part({ ...claims, jti: 'j-2' })}`;
    const hs256 = `${input}.${createHmac('sha256', pem).update(input).digest('base64url')}`;
    expect(await reason(hs256)).toBe('algorithm');
    expect(await reason('not-a-jwt')).toBe('malformed');
  });

  it('refuses an unknown agent and a locked one with one answer that does not say which', async () => {
    const { h, keys, refusal } = await setup();
    const unknown = await refusal(await mintToken(keys[0]!, h.now(), { sub: 'brand-agent-nobody' }));
    for (let i = 0; i < 3; i++) await h.login('alice', 'wrong-password-123');
    const locked = await refusal(await mintToken(keys[0]!, h.now()));
    expect(unknown).toEqual(locked);
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS', fields: [{ reason: 'unknown_agent' }] } } });
    expect(unknown.body.error.message).toContain(WORKSPACE_TOKEN_REFUSALS.unknown_agent);
    const lines = h.audit.entries.filter((e) => e.action === 'login.token-exchange');
    expect(lines.map((e) => e.workspaceToken?.problem)).toEqual(['unknown_agent', 'locked']);
  });

  it("never raises a role: the token's roles must include the operator's, and the session keeps the sites file's role", async () => {
    const { h, keys, refusal, exchange } = await setup();
    const raised = await refusal(await mintToken(keys[0]!, h.now(), { roles: ['admin'] }));
    expect(raised).toMatchObject({
      status: 403,
      body: { error: { code: 'WORKSPACE_TOKEN_ROLE_NOT_ALLOWED', fields: [{ reason: 'role' }] } },
    });
    const res = await exchange(await mintToken(keys[0]!, h.now(), { roles: ['agent', 'admin'] }));
    expect(await res.json()).toMatchObject({ operator: { username: 'alice', role: 'agent' } });
  });

  it("asks for the TOTP step where the site requires a second factor and the token's amr shows none", async () => {
    const { h, keys, exchange } = await setup();
    const manager = (amr?: string[]) => mintToken(keys[0]!, h.now(), { sub: 'brand-manager-morgan', roles: ['manager'], claims: { amr } });
    for (const amr of [undefined, ['pwd'], ['pwd', 'sms']]) {
      const res = await exchange(await manager(amr));
      expect(res.status, JSON.stringify(amr)).toBe(200);
      const challenge = secondFactorChallengeSchema.parse(await res.json());
      if (amr) continue;
      const done = await h.request('/v1/sessions/second-factor', { body: { challenge: challenge.challenge, totp: h.totp('morgan') } });
      expect(done.status).toBe(201);
      expect(await done.json()).toMatchObject({ operator: { username: 'morgan', role: 'manager' } });
    }
    for (const amr of [['mfa'], ['pwd', 'otp'], ['hwk'], ['swk']]) {
      expect((await exchange(await manager(amr))).status, JSON.stringify(amr)).toBe(201);
    }
    const strict = await setup(undefined, (s) => ({ ...s, secondFactor: { ...s.secondFactor, agents: true } }));
    expect((await strict.exchange(await mintToken(strict.keys[0]!, strict.h.now()))).status).toBe(200);
  });

  it('audits every exchange with the key id and the jti hashed, never the token', async () => {
    const { h, keys, exchange, refusal } = await setup();
    const token = await mintToken(keys[1]!, h.now());
    const session = (await (await exchange(token)).json()) as { token: string; operator: { id: string } };
    await refusal(token);
    const lines = h.audit.entries.filter((e) => e.action === 'login.token-exchange');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ outcome: 'success', actor: `operator:${session.operator.id}`, siteId: 'demo' });
    expect(lines[0]!.workspaceToken).toEqual({ keyId: 'k2', jtiHash: expect.stringMatching(/^[A-Za-z0-9_-]{43}$|^[0-9a-f]{64}$/) });
    expect(lines[1]).toMatchObject({
      outcome: 'refused',
      reason: 'WORKSPACE_TOKEN_REPLAYED',
      workspaceToken: { problem: 'replayed', keyId: 'k2' },
    });
    expect(lines[1]!.workspaceToken?.jtiHash).toBe(lines[0]!.workspaceToken?.jtiHash);
    // A token the site's key signed is audited as that key's, in full, even when its claims fail;
    // a forged one stays anonymous (sampled as every anonymous refusal is).
    const expired = await mintToken(keys[0]!, h.now() - 600_000);
    await refusal(expired);
    const forged = await mintToken(await workspaceKey('k1'), h.now());
    await refusal(forged);
    const [late, fake] = h.audit.entries.filter((e) => e.action === 'login.token-exchange').slice(2);
    expect(late).toMatchObject({
      actor: 'workspace-key:k1',
      workspaceToken: { problem: 'expired', keyId: 'k1', jtiHash: expect.any(String) },
    });
    expect(fake).toMatchObject({ actor: 'anonymous', workspaceToken: { problem: 'signature', keyId: 'k1' } });
    expect(fake!.workspaceToken?.jtiHash).toBeUndefined();
    const everything = JSON.stringify(h.audit.entries) + h.logLines.join('\n');
    for (const part of [...token.split('.'), ...expired.split('.'), ...forged.split('.')]) expect(everything).not.toContain(part);
    expect(everything).not.toContain(session.token);
  });

  it('is rate limited per client address in the sign-in windows', async () => {
    const { h, keys, exchange } = await setup();
    for (let i = 0; i < 30; i++) await h.login('nobody', PASSWORD);
    const res = await exchange(await mintToken(keys[0]!, h.now()));
    expect(res.status).toBe(429);
    expect(res.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect((await exchange(await mintToken(keys[0]!, h.now()), { address: '10.9.9.9' })).status).toBe(201);
  });

  it('takes JSON only, with the RFC 8693 parameters, from the site origin or a server; a site without keys takes no token', async () => {
    const { h, keys, exchange } = await setup();
    const token = await mintToken(keys[0]!, h.now());
    const form = await h.app.pci.request('/v1/sessions/token-exchange', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(exchangeBody(token)).toString(),
    });
    expect(form.status).toBe(415);
    expect(await form.json()).toMatchObject({ error: { code: 'UNSUPPORTED_MEDIA_TYPE' } });
    const wrongGrant = await h.request('/v1/sessions/token-exchange', { body: { ...exchangeBody(token), grant_type: 'password' } });
    expect(await wrongGrant.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', fields: [{ path: 'grant_type' }] } });
    const foreign = await exchange(token, { headers: { Origin: 'https://elsewhere.example' } });
    expect(foreign.status).toBe(403);
    expect((await exchange(token, { headers: { Origin: BRAND } })).status).toBe(201);
    const bare = await harness();
    const none = await bare.request('/v1/sessions/token-exchange', { body: exchangeBody(await mintToken(keys[0]!, bare.now())) });
    expect(await none.json()).toMatchObject({ error: { code: 'WORKSPACE_TOKEN_UNTRUSTED', fields: [{ reason: 'not_configured' }] } });
  });
});

describe('POST /v1/sessions/token-exchange refusal codes', () => {
  it('refuses each kind of bad token with its own stable code, the reason and its next step', async () => {
    const { h, keys, refusal, exchange } = await setup();
    const key = keys[0]!;
    const replayed = await mintToken(key, h.now());
    expect((await exchange(replayed)).status).toBe(201);
    const cases: [string, string, number, string][] = [
      ['expired', await mintToken(key, h.now() - 200_000, { lifetimeSeconds: 120 }), 401, 'WORKSPACE_TOKEN_EXPIRED'],
      ['issued_in_future', await mintToken(key, h.now() + 60_000), 401, 'WORKSPACE_TOKEN_EXPIRED'],
      [
        'wrong_audience',
        await mintToken(key, h.now(), { claims: { aud: 'urn:secure-forms:site:other' } }),
        401,
        'WORKSPACE_TOKEN_WRONG_AUDIENCE',
      ],
      [
        'wrong_issuer',
        await mintToken(key, h.now(), { claims: { iss: 'https://attacker.example' } }),
        401,
        'WORKSPACE_TOKEN_WRONG_AUDIENCE',
      ],
      ['unknown_key', await mintToken(await workspaceKey('k-unregistered'), h.now()), 401, 'WORKSPACE_TOKEN_UNTRUSTED'],
      ['signature', await mintToken(await workspaceKey('k1'), h.now()), 401, 'WORKSPACE_TOKEN_UNTRUSTED'],
      ['malformed', 'not-a-jwt', 401, 'WORKSPACE_TOKEN_INVALID'],
      ['lifetime', await mintToken(key, h.now(), { lifetimeSeconds: 301 }), 401, 'WORKSPACE_TOKEN_INVALID'],
      ['missing_claim', await mintToken(key, h.now(), { claims: { jti: undefined } }), 401, 'WORKSPACE_TOKEN_INVALID'],
      ['replayed', replayed, 401, 'WORKSPACE_TOKEN_REPLAYED'],
      ['role', await mintToken(key, h.now(), { roles: ['admin'] }), 403, 'WORKSPACE_TOKEN_ROLE_NOT_ALLOWED'],
      ['unknown_agent', await mintToken(key, h.now(), { sub: 'brand-agent-nobody' }), 401, 'INVALID_CREDENTIALS'],
    ];
    for (const [reason, token, status, code] of cases) {
      const refused = await refusal(token);
      expect(refused.status, reason).toBe(status);
      expect(refused.body.error.code, reason).toBe(code);
      expect(refused.body.error.fields, reason).toEqual([{ path: 'subject_token', reason }]);
      expect(refused.body.error.message, reason).toContain(WORKSPACE_TOKEN_REFUSALS[reason as keyof typeof WORKSPACE_TOKEN_REFUSALS]);
      expect(WORKSPACE_TOKEN_REFUSAL_CODES[reason as keyof typeof WORKSPACE_TOKEN_REFUSAL_CODES], reason).toBe(code);
    }
  });

  it('refuses an operator the site asks for a second factor, who has none set up and whose token shows none, with SECOND_FACTOR_REQUIRED', async () => {
    const { h, keys, refusal, exchange } = await setup(undefined, (s) => ({ ...s, secondFactor: { ...s.secondFactor, agents: true } }));
    // bob's authenticator was never set up (seeding enrols every operator the site asks one of).
    await h.all("UPDATE operators SET totp_secret = NULL WHERE username = 'bob'");
    const bob = await refusal(await mintToken(keys[0]!, h.now(), { sub: 'brand-agent-bob' }));
    expect(bob).toMatchObject({
      status: 403,
      body: { error: { code: 'SECOND_FACTOR_REQUIRED', fields: [{ path: 'subject_token', reason: 'second_factor' }] } },
    });
    expect(bob.body.error.message).toContain(WORKSPACE_TOKEN_REFUSALS.second_factor);
    // With a second factor the brand's identity provider performed (amr), the session.
    expect((await exchange(await mintToken(keys[0]!, h.now(), { sub: 'brand-agent-bob', claims: { amr: ['mfa'] } }))).status).toBe(201);
  });

  it('takes an operator whose only second factor is a passkey to the second-factor step, not to SECOND_FACTOR_REQUIRED', async () => {
    const { h, keys, exchange } = await setup(undefined, (s) => ({ ...s, secondFactor: { ...s.secondFactor, agents: true } }));
    await h.all("UPDATE operators SET totp_secret = NULL WHERE username = 'bob'");
    const [bob] = (await h.all("SELECT id, site_id FROM operators WHERE username = 'bob'")) as { id: string; site_id: string }[];
    await h.app.store.insertPasskey({
      id: 'passkey-of-bob',
      operatorId: bob!.id,
      siteId: bob!.site_id,
      publicKey: new Uint8Array([0]),
      counter: 0,
      transports: '',
      name: 'Laptop',
      createdAt: 0,
      lastUsedAt: null,
    });
    const answer = await exchange(await mintToken(keys[0]!, h.now(), { sub: 'brand-agent-bob' }));
    expect(answer.status).toBe(200);
    expect(await answer.json()).toMatchObject({ secondFactorRequired: true, methods: ['passkey'] });
  });

  it('tells a forger nothing about the claims: a token not signed by a registered key is refused for that alone, and spends no jti', async () => {
    const { h, keys, refusal, exchange } = await setup();
    const impostor = await workspaceKey('k1');
    // Expired, for another audience, naming an unknown agent, a role it may not have: still only "untrusted".
    const forged = await mintToken(impostor, h.now() - 600_000, {
      sub: 'brand-agent-nobody',
      roles: ['admin'],
      claims: { aud: 'urn:secure-forms:site:other' },
    });
    expect(await refusal(forged)).toMatchObject({
      status: 401,
      body: { error: { code: 'WORKSPACE_TOKEN_UNTRUSTED', fields: [{ path: 'subject_token', reason: 'signature' }] } },
    });
    // A forged token with the jti of a genuine one does not use that jti up.
    const jti = 'jti-the-forger-saw';
    expect((await refusal(await mintToken(impostor, h.now(), { claims: { jti } }))).body.error.code).toBe('WORKSPACE_TOKEN_UNTRUSTED');
    expect((await exchange(await mintToken(keys[0]!, h.now(), { claims: { jti } }))).status).toBe(201);
  });
});
