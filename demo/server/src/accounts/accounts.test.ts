import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from '../test/harness.js';
import { sha256 } from '../crypto/tokens.js';

describe('login and sessions', () => {
  it('logs in with the right password and returns a 256-bit token and the agent profile', async () => {
    const h = await harness();
    const { res, body } = await h.login('alice');
    expect(res.status).toBe(201);
    expect(body).toMatchObject({
      operator: { username: 'alice', displayName: 'Alice Agent', role: 'agent', permissions: ['use-secure-form'] },
      idleTimeoutSeconds: 900,
    });
    expect('token' in body && body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const morgan = await h.login('morgan');
    expect(morgan.body).toMatchObject({ operator: { role: 'manager', permissions: ['view-responses-in-history'] } });
    const max = await h.login('max');
    expect(max.body).toMatchObject({ operator: { role: 'manager', permissions: [] } });
  });

  it('refuses a wrong password, and an unknown user the same way', async () => {
    const h = await harness();
    const wrong = await h.login('alice', 'wrong-password-1');
    expect(wrong.res.status).toBe(401);
    expect(wrong.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    const unknown = await h.login('mallory', 'wrong-password-1');
    expect(unknown.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('locks the operator after 3 failed logins, saying so at the third, even for the right password', async () => {
    const h = await harness();
    for (let i = 0; i < 2; i++)
      expect((await h.login('alice', `wrong-${i}-password`)).body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    const third = await h.login('alice', 'wrong-2-password');
    expect(third.res.status).toBe(403);
    expect(third.body).toMatchObject({ error: { code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/now locked for 30 minutes/) } });
    // Locked: refused unchecked, with the answer an unknown username gets (it does not tell who exists).
    const locked = await h.login('alice', PASSWORD);
    expect(locked.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    // bob is not affected
    expect((await h.login('bob')).res.status).toBe(201);
    expect(
      h.audit.entries.filter((e) => e.action.startsWith('login') && e.outcome === 'refused').map((e) => `${e.action}:${e.reason}`),
    ).toEqual(['login:INVALID_CREDENTIALS', 'login:INVALID_CREDENTIALS', 'login:ACCOUNT_LOCKED', 'login.locked:INVALID_CREDENTIALS']);
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
  });

  it('answers a username no operator has exactly as an operator, at every count: the third wrong password says "now locked"', async () => {
    const h = await harness();
    const answer = async (username: string, i: number) => {
      const { res, body } = await h.login(username, `wrong-${i}-password`);
      return { status: res.status, body };
    };
    for (let i = 0; i < 5; i++) expect(await answer('mallory', i)).toEqual(await answer('alice', i));
    expect(await answer('mallory', 5)).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
    // The count is kept per typed username: another unknown one starts at one.
    expect(await answer('trudy', 0)).toMatchObject({ status: 401, body: { error: { code: 'INVALID_CREDENTIALS' } } });
  });

  it('resets the failure count on a successful login', async () => {
    const h = await harness();
    await h.login('alice', 'wrong-password-1');
    await h.login('alice', 'wrong-password-2');
    expect((await h.login('alice')).res.status).toBe(201);
    await h.login('alice', 'wrong-password-3');
    expect((await h.login('alice')).res.status).toBe(201);
  });

  it('ends a session after 15 idle minutes', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    h.advance(14 * 60_000);
    expect((await h.request('/v1/conversations', { headers: alice.headers })).status).toBe(200);
    h.advance(15 * 60_000);
    const res = await h.request('/v1/conversations', { headers: alice.headers });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
  });

  it("writes a session's last seen at most every 30 s, and keeps a session in use alive", async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const lastSeen = async () => (await h.app.store.findSession(sha256(alice.token)))!.lastSeenAt;
    const signedIn = await lastSeen();
    h.advance(10_000);
    expect((await h.request('/v1/conversations', { headers: alice.headers })).status).toBe(200);
    expect(await lastSeen()).toBe(signedIn);
    h.advance(25_000);
    expect((await h.request('/v1/conversations', { headers: alice.headers })).status).toBe(200);
    expect(await lastSeen()).toBe(signedIn + 35_000);
    // A request every 20 s for longer than the idle timeout: the session stays.
    for (let i = 0; i < 60; i++) {
      h.advance(20_000);
      expect((await h.request('/v1/conversations', { headers: alice.headers })).status).toBe(200);
    }
  });

  it('ends an active session after its 12-hour lifetime', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    for (let i = 0; i < 12 * 6; i++) {
      h.advance(10 * 60_000);
      const res = await h.request('/v1/forms', { headers: alice.headers });
      if (i < 12 * 6 - 1) expect(res.status).toBe(200);
      else expect(await res.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
    }
  });

  it('invalidates the session at logout', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    expect((await h.request('/v1/sessions/current', { method: 'DELETE', headers: alice.headers })).status).toBe(204);
    const res = await h.request('/v1/conversations', { headers: alice.headers });
    expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    expect(h.audit.entries.some((e) => e.action === 'logout' && e.outcome === 'success')).toBe(true);
  });

  it('stores passwords as scrypt hashes and sessions as SHA-256', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const op = (await h.get("SELECT password_hash FROM operators WHERE username = 'alice'")) as { password_hash: string };
    expect(op.password_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(op.password_hash).not.toContain(PASSWORD);
    const dump = JSON.stringify(await h.all('SELECT * FROM sessions'));
    expect(dump).not.toContain(alice.token);
  });
});
