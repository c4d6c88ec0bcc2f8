/** TOTP, admin re-enable, rate limits, configurable lockout. */
import { SESSION_HEADER, secondFactorChallengeSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from '../test/harness.js';

describe('second factor (TOTP)', () => {
  it('asks a manager for a TOTP code after the password, with a single-use challenge', async () => {
    const h = await harness();
    const first = await h.login('morgan', PASSWORD, null);
    expect(first.res.status).toBe(200);
    const challenge = secondFactorChallengeSchema.parse(first.body);
    expect(challenge.challenge).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const done = await h.request('/v1/sessions/second-factor', { body: { challenge: challenge.challenge, totp: h.totp('morgan') } });
    expect(done.status).toBe(201);
    const body = (await done.json()) as { token: string; operator: { username: string } };
    expect(body.operator.username).toBe('morgan');
    expect((await h.request('/v1/forms', { headers: { [SESSION_HEADER]: body.token } })).status).toBe(200);
    const again = await h.request('/v1/sessions/second-factor', { body: { challenge: challenge.challenge, totp: h.totp('morgan') } });
    expect(await again.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(JSON.stringify(h.audit.entries)).not.toContain(challenge.challenge);
  });

  it('takes the code in the login body, names a wrong or reused code, counts wrong codes to the lockout and says when one locks', async () => {
    const h = await harness();
    const code = h.totp('ada');
    expect((await h.login('ada', PASSWORD, code)).res.status).toBe(201);
    const replay = await h.login('ada', PASSWORD, code);
    expect(replay.res.status).toBe(401);
    expect(replay.body).toMatchObject({ error: { code: 'TOTP_REUSED', message: expect.stringMatching(/already used.*next code/) } });
    h.advance(30_000);
    const wrong = String((Number(h.totp('ada')) + 1) % 1_000_000).padStart(6, '0');
    const first = await h.login('ada', PASSWORD, wrong);
    expect(first.res.status).toBe(401);
    expect(first.body).toMatchObject({ error: { code: 'TOTP_WRONG', message: expect.stringMatching(/code is not right/) } });
    expect((await h.login('ada', PASSWORD, wrong)).body).toMatchObject({ error: { code: 'TOTP_WRONG' } });
    // The replay did not count: a third wrong code is what locks her, and the answer says so.
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(0);
    const third = await h.login('ada', PASSWORD, wrong);
    expect(third.res.status).toBe(403);
    expect(third.body).toMatchObject({ error: { code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/now locked for 30 minutes/) } });
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
    // Locked: a right password and code get the answer an unknown username gets.
    expect((await h.login('ada', PASSWORD, h.totp('ada'))).body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect(h.audit.entries.at(-1)).toMatchObject({ action: 'login.locked' });
    const secret = (await h.get("SELECT totp_secret FROM operators WHERE username = 'ada'")) as { totp_secret: string };
    expect(secret.totp_secret).toMatch(/"k":"k1"/); // stored wrapped by the vault, not in clear
  });

  it('names a wrong or reused code at the second step, keeps the challenge for another try, and says when a wrong code locks', async () => {
    const h = await harness();
    const used = h.totp('morgan');
    const signIn = async () => secondFactorChallengeSchema.parse((await h.login('morgan', PASSWORD, null)).body).challenge;
    const challenge = await signIn();
    expect((await h.request('/v1/sessions/second-factor', { body: { challenge, totp: used } })).status).toBe(201);
    const again = await signIn();
    const second = (totp: string) => h.request('/v1/sessions/second-factor', { body: { challenge: again, totp } });
    expect(await (await second(used)).json()).toMatchObject({ error: { code: 'TOTP_REUSED' } });
    h.advance(30_000);
    const wrong = String((Number(h.totp('morgan')) + 1) % 1_000_000).padStart(6, '0');
    expect(await (await second(wrong)).json()).toMatchObject({ error: { code: 'TOTP_WRONG' } });
    expect(await (await second(wrong)).json()).toMatchObject({ error: { code: 'TOTP_WRONG' } });
    const locking = await second(wrong);
    expect(locking.status).toBe(403);
    expect(await locking.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/now locked/) } });
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
    expect(h.audit.entries.filter((e) => e.reason === 'TOTP_WRONG')).toHaveLength(2);
  });

  it('leaves agents without TOTP by default, and requires it where the site turns it on for agents', async () => {
    const h = await harness();
    expect((await h.login('alice', PASSWORD, null)).res.status).toBe(201);
    const strict = await harness({ site: (s) => ({ ...s, secondFactor: { ...s.secondFactor, agents: true } }) });
    const first = await strict.login('alice', PASSWORD, null);
    expect(first.res.status).toBe(200);
    expect(first.body).toMatchObject({ secondFactorRequired: true });
    expect((await strict.login('alice', PASSWORD, strict.totp('alice'))).res.status).toBe(201);
  });
});

describe('lockout and re-enabling', () => {
  it('honours a configured lockout threshold (5)', async () => {
    const h = await harness({
      site: (s) => ({ ...s, lockoutThreshold: 5, loginRateLimit: { windowSeconds: 60, perOperator: 100, perAddress: 100 } }),
    });
    for (let i = 0; i < 4; i++) await h.login('bob', `wrong-${i}-password`);
    expect((await h.login('bob')).res.status).toBe(201);
    for (let i = 0; i < 4; i++) await h.login('bob', `wrong-${i}-password`);
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(0);
    await h.login('bob', 'wrong-4-password');
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
    expect((await h.login('bob')).body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect(h.audit.entries.at(-1)).toMatchObject({ action: 'login.locked', reason: 'INVALID_CREDENTIALS' });
  });

  it('keeps a locked operator out until an admin re-enables it; only an admin may', async () => {
    const h = await harness();
    const bob = await h.session('bob');
    for (let i = 0; i < 3; i++) await h.login('alice', `wrong-${i}-password`);
    expect((await h.login('alice')).body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect(h.audit.entries.at(-1)).toMatchObject({ action: 'login.locked' });
    const aliceId = ((await h.get("SELECT id FROM operators WHERE username = 'alice'")) as { id: string }).id;
    const byAgent = await h.request(`/v1/operators/${aliceId}/enable`, { method: 'POST', headers: bob.headers });
    expect(await byAgent.json()).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const morgan = await h.session('morgan');
    expect(await (await h.request(`/v1/operators/${aliceId}/enable`, { method: 'POST', headers: morgan.headers })).json()).toMatchObject({
      error: { code: 'FORBIDDEN' },
    });
    const ada = await h.session('ada');
    const res = await h.request(`/v1/operators/${aliceId}/enable`, { method: 'POST', headers: ada.headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ operator: { username: 'alice' }, locked: false });
    expect((await h.login('alice')).res.status).toBe(201);
    expect(h.audit.entries.filter((e) => e.action === 'operator.enable').map((e) => `${e.outcome}:${e.reason ?? ''}`)).toEqual([
      'refused:FORBIDDEN',
      'refused:FORBIDDEN',
      'success:',
    ]);
    const unknown = await h.request('/v1/operators/nobody/enable', { method: 'POST', headers: ada.headers });
    expect(unknown.status).toBe(404);
  });
});

describe('the operators list', () => {
  it("lists the site's operators with their ids and locks to an admin only, audited, and rate-limited", async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await h.login('alice', `wrong-${i}-password`);
    for (const username of ['bob', 'morgan']) {
      const refused = await h.request('/v1/operators', { headers: (await h.session(username)).headers });
      expect([refused.status, await refused.json()]).toMatchObject([403, { error: { code: 'FORBIDDEN' } }]);
    }
    const ada = await h.session('ada');
    const res = await h.request('/v1/operators', { headers: ada.headers });
    expect(res.status).toBe(200);
    const { operators } = (await res.json()) as { operators: { operator: { id: string; username: string }; locked: boolean }[] };
    expect(operators.map((o) => [o.operator.username, o.locked])).toEqual(
      expect.arrayContaining([
        ['alice', true],
        ['bob', false],
        ['ada', false],
      ]),
    );
    // The id listed is the one "enable" takes.
    const alice = operators.find((o) => o.operator.username === 'alice')!;
    expect((await h.request(`/v1/operators/${alice.operator.id}/enable`, { method: 'POST', headers: ada.headers })).status).toBe(200);
    expect(JSON.stringify(operators)).not.toMatch(/password|totp|hash/i);
    expect(h.audit.entries.filter((e) => e.action === 'operator.list').map((e) => `${e.outcome}:${e.reason ?? ''}`)).toEqual([
      'refused:FORBIDDEN',
      'refused:FORBIDDEN',
      'success:',
    ]);
    let last = res;
    for (let i = 0; i < 30; i++) last = await h.request('/v1/operators', { headers: ada.headers });
    expect([last.status, last.headers.get('Retry-After')]).toEqual([429, expect.stringMatching(/^\d+$/)]);
    expect((await h.request('/v1/operators')).status).toBe(401);
  });
});

describe('the transfer targets', () => {
  it('lists the other agents that are not locked, names and ids only, to any operator, audited', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await h.login('bob', `wrong-${i}-password`);
    const alice = await h.session('alice');
    const res = await h.request('/v1/agents', { headers: alice.headers });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ agents: [] });
    const morgan = await h.session('morgan');
    const { agents } = (await (await h.request('/v1/agents', { headers: morgan.headers })).json()) as { agents: { displayName: string }[] };
    expect(agents).toEqual([{ id: expect.any(String), displayName: 'Alice Agent' }]);
    expect(h.audit.entries.filter((e) => e.action === 'agent.list')).toHaveLength(2);
    expect((await h.request('/v1/agents')).status).toBe(401);
  });
});

describe('login rate limits', () => {
  it('limits attempts per operator with 429 RATE_LIMITED and Retry-After, then lets them in after the window', async () => {
    const h = await harness({
      site: (s) => ({ ...s, lockoutThreshold: 10, loginRateLimit: { windowSeconds: 60, perOperator: 4, perAddress: 100 } }),
    });
    for (let i = 0; i < 4; i++) expect((await h.login('bob', `wrong-${i}-password`)).res.status).toBe(401);
    const limited = await h.login('bob');
    expect(limited.res.status).toBe(429);
    expect(limited.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(Number(limited.res.headers.get('Retry-After'))).toBeGreaterThan(0);
    // Another operator from another address is not affected.
    expect(
      (await h.request('/v1/sessions', { body: { siteId: 'demo', username: 'alice', password: PASSWORD }, address: '10.0.0.9' })).status,
    ).toBe(201);
    h.advance(61_000);
    expect((await h.login('bob')).res.status).toBe(201);
  });

  it('limits attempts per client address across usernames', async () => {
    const h = await harness({ site: (s) => ({ ...s, loginRateLimit: { windowSeconds: 60, perOperator: 100, perAddress: 3 } }) });
    for (const u of ['x1', 'x2', 'x3']) {
      expect(
        (await h.request('/v1/sessions', { body: { siteId: 'demo', username: u, password: 'nope-nope-1' }, address: '10.0.0.1' })).status,
      ).toBe(401);
    }
    const limited = await h.request('/v1/sessions', {
      body: { siteId: 'demo', username: 'alice', password: PASSWORD },
      address: '10.0.0.1',
    });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).not.toBeNull();
    expect(
      (await h.request('/v1/sessions', { body: { siteId: 'demo', username: 'alice', password: PASSWORD }, address: '10.0.0.2' })).status,
    ).toBe(201);
  });
});
