/**
 * The sign-in lockout under concurrency: every attempt is counted in the database before its
 * password or code is checked, so a burst never gets more than `lockoutThreshold` checks; a
 * session is never issued to a locked operator; a lock ends every session and event stream of the
 * operator; locks are time-based and a locked account answers like an unknown username.
 */
import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../crypto/passwords.js';
import { collectStream, harness, PASSWORD } from '../test/harness.js';
import { totpStep } from './totp.js';
import { unlockCommand } from './unlock-command.js';

vi.mock('../crypto/passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../crypto/passwords.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});
vi.mock('./totp.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./totp.js')>();
  return { ...actual, totpStep: vi.fn(actual.totpStep) };
});

/** A site whose rate limits stay out of the way: only the lockout may stop a burst. */
const roomy = (threshold = 3) => ({
  site: (s: Parameters<NonNullable<Parameters<typeof harness>[0]>['site'] & object>[0]) => ({
    ...s,
    lockoutThreshold: threshold,
    loginRateLimit: { windowSeconds: 60, perOperator: 1000, perAddress: 1000 },
  }),
});

type Harness = Awaited<ReturnType<typeof harness>>;

const hashOf = async (h: Harness, username: string) =>
  ((await h.get('SELECT password_hash FROM operators WHERE username = ?', username)) as { password_hash: string }).password_hash;
const idOf = async (h: Harness, username: string) =>
  ((await h.get('SELECT id FROM operators WHERE username = ?', username)) as { id: string }).id;

/** How many times a password was checked against this stored hash since the last clear. */
const checksAgainst = (hash: string) => vi.mocked(verifyPassword).mock.calls.filter(([, stored]) => stored === hash).length;

const signIn = async (h: Harness, username: string, password: string, i: number, totp?: string) =>
  h.request('/v1/sessions', {
    body: { siteId: 'demo', username, password, ...(totp ? { totp } : {}) },
    address: `10.1.${Math.floor(i / 200)}.${i % 200}`,
  });

describe('parallel sign-ins and the lockout', () => {
  it('checks at most lockoutThreshold of 50 parallel wrong passwords, and the right one sent last gets no session', async () => {
    const h = await harness(roomy(3));
    // Let every request through the hashing gate, so that only the count can stop them.
    h.app.accounts.hashing.limits = { concurrency: 4, queue: 100 };
    const aliceHash = await hashOf(h, 'alice');
    vi.mocked(verifyPassword).mockClear();
    const wrong = Array.from({ length: 49 }, (_, i) => signIn(h, 'alice', `wrong-${i}-password`, i));
    const right = signIn(h, 'alice', PASSWORD, 49);
    const answers = await Promise.all([...wrong, right]);
    const statuses = answers.map((r) => r.status);
    expect(checksAgainst(aliceHash)).toBeLessThanOrEqual(3);
    expect(statuses.filter((s) => s === 201)).toEqual([]);
    expect(answers[49]!.status).toBe(401);
    // The lock holds afterwards: the right password alone is refused too, without a check.
    vi.mocked(verifyPassword).mockClear();
    expect((await h.login('alice')).res.status).toBe(401);
    expect(checksAgainst(aliceHash)).toBe(0);
    // The audit trail: 51 refused sign-ins by alice, no success, one lock.
    const aliceActor = `operator:${await idOf(h, 'alice')}`;
    const logins = h.audit.entries.filter((e) => e.action.startsWith('login') && e.actor === aliceActor);
    expect(logins).toHaveLength(51);
    expect(logins.every((e) => e.outcome === 'refused')).toBe(true);
    expect(logins.filter((e) => e.action === 'login').length).toBeLessThanOrEqual(3);
    expect(logins.filter((e) => e.action === 'login.locked').length).toBeGreaterThanOrEqual(48);
    const aliceId = await idOf(h, 'alice');
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock' && e.targetOperatorId === aliceId)).toHaveLength(1);
  }, 30_000);

  it('checks at most lockoutThreshold of 10 parallel wrong TOTP codes', async () => {
    const h = await harness(roomy(3));
    h.app.accounts.hashing.limits = { concurrency: 4, queue: 100 };
    vi.mocked(totpStep).mockClear();
    const code = h.totp('morgan');
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => signIn(h, 'morgan', PASSWORD, i, wrong)));
    expect(answers.filter((r) => r.status === 201)).toEqual([]);
    expect(vi.mocked(totpStep).mock.calls.length).toBeLessThanOrEqual(3);
    expect((await signIn(h, 'morgan', PASSWORD, 11, code)).status).toBe(401);
  });

  it('checks at most lockoutThreshold of 10 parallel wrong codes on one second-factor challenge', async () => {
    const h = await harness(roomy(3));
    const first = await h.login('morgan', PASSWORD, null);
    const { challenge } = first.body as unknown as { challenge: string };
    vi.mocked(totpStep).mockClear();
    const wrong = String((Number(h.totp('morgan')) + 1) % 1_000_000).padStart(6, '0');
    const answers = await Promise.all(
      Array.from({ length: 10 }, async (_, i) =>
        h.request('/v1/sessions/second-factor', { body: { challenge, totp: wrong }, address: `10.2.0.${i}` }),
      ),
    );
    expect(answers.filter((r) => r.status === 201)).toEqual([]);
    expect(vi.mocked(totpStep).mock.calls.length).toBeLessThanOrEqual(3);
    const late = await h.request('/v1/sessions/second-factor', { body: { challenge, totp: h.totp('morgan') } });
    expect(late.status).not.toBe(201);
  });

  it('ends every session of an operator when the lock lands, and closes its event streams at once', async () => {
    const h = await harness();
    const first = await h.session('alice');
    const second = await h.session('alice');
    const stream = await h.request('/v1/agent/events', { headers: first.headers });
    expect(stream.status).toBe(200);
    const streamed = collectStream(stream, 3000);
    const started = Date.now();
    for (let i = 0; i < 3; i++) await h.login('alice', `wrong-${i}-password`);
    await streamed;
    expect(Date.now() - started).toBeLessThan(1500);
    for (const s of [first, second]) {
      const res = await h.request('/v1/forms', { headers: s.headers });
      expect(await res.json()).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
    }
    const revoked = (await h.all('SELECT revoked_at FROM sessions WHERE operator_id = ?', await idOf(h, 'alice'))) as {
      revoked_at: number | null;
    }[];
    expect(revoked.every((r) => r.revoked_at !== null)).toBe(true);
  });
});

describe('time-based locks and who they reveal', () => {
  it('locks for the configured time (at least 30 minutes), then lets the operator in again', async () => {
    const h = await harness({ site: (s) => ({ ...s, lockoutMinutes: 45 }) });
    for (let i = 0; i < 3; i++) await h.login('alice', `wrong-${i}-password`);
    h.advance(44 * 60_000);
    expect((await h.login('alice')).res.status).toBe(401);
    h.advance(60_000);
    expect((await h.login('alice')).res.status).toBe(201);
    // A new lock cycle starts from zero.
    for (let i = 0; i < 2; i++) await h.login('alice', `wrong-${i}-password`);
    expect((await h.login('alice')).res.status).toBe(201);
  });

  it('answers a locked account exactly as an unknown username', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await h.login('alice', `wrong-${i}-password`);
    const locked = await h.login('alice');
    const unknown = await h.login('nobody');
    expect(locked.res.status).toBe(unknown.res.status);
    expect(locked.body).toEqual(unknown.body);
    expect(locked.body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
  });

  it('does not count replays of a valid TOTP code as failures', async () => {
    const h = await harness();
    const code = h.totp('ada');
    expect((await h.login('ada', PASSWORD, code)).res.status).toBe(201);
    const replays = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn(h, 'ada', PASSWORD, i, code)));
    expect(replays.map((r) => r.status)).toEqual(Array(6).fill(401));
    h.advance(30_000);
    expect((await h.login('ada')).res.status).toBe(201);
  });

  it('limits sign-ins per operator found, not per typed string', async () => {
    const h = await harness();
    for (let i = 0; i < 12; i++) await signIn(h, 'ALICE', PASSWORD, i);
    expect((await signIn(h, 'alice', PASSWORD, 100)).status).toBe(201);
  });

  it('audits unknown-username and rate-limited sign-ins with the typed username hashed', async () => {
    const h = await harness({ site: (s) => ({ ...s, loginRateLimit: { windowSeconds: 60, perOperator: 2, perAddress: 100 } }) });
    for (let i = 0; i < 3; i++) await signIn(h, 'Mallory.Typed', 'nope-nope-1', i);
    const lines = h.audit.entries.filter((e) => e.action === 'login');
    expect(lines.map((e) => e.reason)).toEqual(['INVALID_CREDENTIALS', 'INVALID_CREDENTIALS', 'RATE_LIMITED']);
    expect(new Set(lines.map((e) => e.actor)).size).toBe(1);
    expect(lines[0]!.actor).toMatch(/^typed-username:[0-9a-f]{16}$/);
    expect(JSON.stringify(h.audit.entries)).not.toMatch(/mallory/i);
  });
});

describe('the break-glass unlock command', () => {
  it('unlocks the only admin, with an audit line naming who ran it', async () => {
    const h = await harness();
    for (let i = 0; i < 3; i++) await h.login('ada', `wrong-${i}-password`);
    h.advance(30_000);
    expect((await h.login('ada')).res.status).toBe(401);
    const done = await unlockCommand(h.app.accounts, h.audit, h.now, 'demo', 'ada');
    expect(done).toMatchObject({ exitCode: 0, message: expect.stringContaining('Unlocked ada') as unknown });
    expect((await h.login('ada')).res.status).toBe(201);
    expect(h.audit.entries.find((e) => e.action === 'operator.unlock')).toMatchObject({
      outcome: 'success',
      actor: expect.stringMatching(/^os-user:/) as unknown,
      targetOperatorId: await idOf(h, 'ada'),
    });
    expect(await unlockCommand(h.app.accounts, h.audit, h.now, 'demo', 'nobody')).toMatchObject({ exitCode: 1 });
  });
});

describe('sign-out and event streams', () => {
  it('closes the event streams of a session at sign-out, and only those', async () => {
    const h = await harness();
    const mine = await h.session('alice');
    const other = await h.session('alice');
    const myStream = await h.request('/v1/agent/events', { headers: mine.headers });
    const otherStream = await h.request('/v1/agent/events', { headers: other.headers });
    const started = Date.now();
    const closed = collectStream(myStream, 3000).then(() => Date.now() - started);
    expect((await h.request('/v1/sessions/current', { method: 'DELETE', headers: mine.headers })).status).toBe(204);
    expect(await closed).toBeLessThan(1000);
    const stillOpen = await collectStream(otherStream, 300);
    expect(stillOpen).toContain(': connected');
  });

  it('does not refresh the idle timer when the event stream reconnects', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    h.advance(10 * 60_000);
    const stream = await h.request('/v1/agent/events', { headers: alice.headers });
    expect(stream.status).toBe(200);
    await collectStream(stream, 50);
    h.advance(6 * 60_000);
    const res = await h.request('/v1/forms', { headers: alice.headers });
    expect(await res.json()).toMatchObject({ error: { code: 'SESSION_EXPIRED' } });
  });
});
