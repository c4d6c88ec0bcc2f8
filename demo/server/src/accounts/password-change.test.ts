/**
 * An operator changes its own password (PCI DSS 8.3.6, 8.3.7): the current one is checked as a
 * sign-in checks it (rate-limited, counted towards the lock, at most `lockoutThreshold` checks in a
 * burst); the new one meets the site's policy, is not a common password (whatever its case) and is
 * none of the last four; every other session of the operator ends, the current one stays; the
 * audit line names the operator and never a password.
 */
import { describe, expect, it, vi } from 'vitest';
import { verifyPassword } from '../crypto/passwords.js';
import { collectStream, harness, PASSWORD } from '../test/harness.js';

vi.mock('../crypto/passwords.js', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../crypto/passwords.js')>();
  return { ...actual, verifyPassword: vi.fn(actual.verifyPassword) };
});

type Harness = Awaited<ReturnType<typeof harness>>;
type Session = Awaited<ReturnType<Harness['session']>>;

/** A site whose rate limits stay out of the way. */
const roomy = (threshold = 3) => ({
  site: (s: Parameters<NonNullable<Parameters<typeof harness>[0]>['site'] & object>[0]) => ({
    ...s,
    lockoutThreshold: threshold,
    loginRateLimit: { windowSeconds: 60, perOperator: 1000, perAddress: 1000 },
  }),
});

const hashOf = async (h: Harness, username: string) =>
  ((await h.get('SELECT password_hash FROM operators WHERE username = ?', username)) as { password_hash: string }).password_hash;
const checksAgainst = (hash: string) => vi.mocked(verifyPassword).mock.calls.filter(([, stored]) => stored === hash).length;

const change = async (h: Harness, session: Session | undefined, currentPassword: string, newPassword: string, address?: string) =>
  h.request('/v1/sessions/current/password', {
    body: { currentPassword, newPassword },
    ...(session ? { headers: session.headers } : {}),
    ...(address ? { address } : {}),
  });

const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string; fields?: unknown } }).error;

const NEW = 'violet4Harbor9lamp';

describe('changing one’s own password', () => {
  it('stores the new password, ends every other session and its event streams, and keeps the current one', async () => {
    const h = await harness();
    const mine = await h.session('alice');
    const other = await h.session('alice');
    const stream = await h.request('/v1/agent/events', { headers: other.headers });
    expect(stream.status).toBe(200);
    const started = Date.now();
    const closed = collectStream(stream, 3000).then(() => Date.now() - started);
    const oldHash = await hashOf(h, 'alice');

    const res = await change(h, mine, PASSWORD, NEW);
    expect(res.status).toBe(204);
    expect(await closed).toBeLessThan(1500);
    expect((await h.request('/v1/forms', { headers: mine.headers })).status).toBe(200);
    expect(await errorOf(await h.request('/v1/forms', { headers: other.headers }))).toMatchObject({ code: 'UNAUTHENTICATED' });
    // The old password no longer signs in; the new one does.
    expect((await h.login('alice')).body).toMatchObject({ error: { code: 'INVALID_CREDENTIALS' } });
    expect((await h.login('alice', NEW)).res.status).toBe(201);
    // The old hash is kept for the reuse rule; the new one is a fresh scrypt hash.
    expect(await hashOf(h, 'alice')).toMatch(/^scrypt\$/);
    expect(await hashOf(h, 'alice')).not.toBe(oldHash);
    const history = await h.all('SELECT password_hash FROM password_history WHERE operator_id = ?', mine.operatorId);
    expect(history).toEqual([{ password_hash: oldHash }]);
    // Audited by who did it; no password anywhere in the audit trail or the log.
    expect(h.audit.entries.filter((e) => e.action === 'operator.password-change')).toEqual([
      expect.objectContaining({ outcome: 'success', actor: `operator:${mine.operatorId}`, siteId: 'demo' }),
    ]);
    const written = JSON.stringify(h.audit.entries) + h.logLines.join('\n');
    expect(written).not.toContain(PASSWORD);
    expect(written).not.toContain(NEW);
  });

  it('refuses a request without a session', async () => {
    const h = await harness();
    const res = await change(h, undefined, PASSWORD, NEW);
    expect(res.status).toBe(401);
    expect(await errorOf(res)).toMatchObject({ code: 'UNAUTHENTICATED' });
    const forged = await h.request('/v1/sessions/current/password', {
      body: { currentPassword: PASSWORD, newPassword: NEW },
      headers: { 'Secure-Forms-Session': 'A'.repeat(43) },
    });
    expect(forged.status).toBe(401);
    expect(await hashOf(h, 'bob')).toBe(await hashOf(h, 'alice'));
  });

  it('refuses a wrong current password, counting it towards the lock exactly as a wrong sign-in', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    for (let i = 0; i < 2; i++) {
      const res = await change(h, alice, `wrong-${i}-password`, NEW);
      expect(res.status).toBe(401);
      const error = await errorOf(res);
      expect(error).toMatchObject({ code: 'INVALID_CREDENTIALS', message: expect.stringMatching(/current password is not right/) });
      expect(error.message).toMatch(/counts towards the lock/);
    }
    // The third failure of the cycle, here a sign-in, locks the account (and says so) and ends the session.
    expect((await h.login('alice', 'wrong-2-password')).body).toMatchObject({ error: { code: 'ACCOUNT_LOCKED' } });
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
    expect(await errorOf(await h.request('/v1/forms', { headers: alice.headers }))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
    expect(h.audit.entries.filter((e) => e.action === 'operator.password-change').map((e) => `${e.outcome}:${e.reason ?? ''}`)).toEqual([
      'refused:INVALID_CREDENTIALS',
      'refused:INVALID_CREDENTIALS',
    ]);
  });

  it('says so when a wrong current password locks the account, and ends the session', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    await h.login('alice', 'wrong-0-password');
    await h.login('alice', 'wrong-1-password');
    const res = await change(h, alice, 'wrong-2-password', NEW);
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'ACCOUNT_LOCKED', message: expect.stringMatching(/now locked for 30 minutes/) });
    expect(await errorOf(await h.request('/v1/forms', { headers: alice.headers }))).toMatchObject({ code: 'ACCOUNT_LOCKED' });
  });

  it('checks at most lockoutThreshold of 10 parallel wrong current passwords', async () => {
    const h = await harness(roomy(3));
    // Let every request through the hashing gate, so that only the count can stop them.
    h.app.accounts.hashing.limits = { concurrency: 4, queue: 100 };
    const alice = await h.session('alice');
    const hash = await hashOf(h, 'alice');
    vi.mocked(verifyPassword).mockClear();
    const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => change(h, alice, `wrong-${i}-password`, NEW, `10.3.0.${i}`)));
    expect(checksAgainst(hash)).toBeLessThanOrEqual(3);
    expect(answers.filter((r) => r.status === 204)).toEqual([]);
    expect(new Set(answers.map((r) => r.status))).toEqual(new Set([401, 403]));
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(1);
    expect(await hashOf(h, 'alice')).toBe(hash);
    // Locked: the right password is refused too, without a check.
    vi.mocked(verifyPassword).mockClear();
    expect((await h.login('alice')).res.status).toBe(401);
    expect(checksAgainst(hash)).toBe(0);
  });

  it('rate-limits password changes together with sign-ins', async () => {
    const h = await harness({
      site: (s) => ({ ...s, lockoutThreshold: 10, loginRateLimit: { windowSeconds: 60, perOperator: 3, perAddress: 100 } }),
    });
    const alice = await h.session('alice');
    expect((await change(h, alice, 'wrong-0-password', NEW)).status).toBe(401);
    expect((await change(h, alice, 'wrong-1-password', NEW)).status).toBe(401);
    const limited = await change(h, alice, PASSWORD, NEW);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('Retry-After')).toMatch(/^\d+$/);
    expect(await hashOf(h, 'alice')).toBe(await hashOf(h, 'bob'));
  });

  it('refuses a new password that breaks the site’s policy, naming newPassword, without counting an attempt', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    for (const [password, reason] of [
      ['short1pass', 'must have at least 12 characters'],
      ['onlyletterslonger', 'must have both letters and digits'],
    ] as const) {
      const res = await change(h, alice, PASSWORD, password);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'newPassword', reason }] });
    }
    // Neither counted: three wrong sign-ins still lock, no fewer.
    await h.login('alice', 'wrong-0-password');
    await h.login('alice', 'wrong-1-password');
    expect(h.audit.entries.filter((e) => e.action === 'operator.lock')).toHaveLength(0);
  });

  it('refuses one of the most common passwords, whatever its case', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    for (const common of ['qwerty123456', 'QWERTY123456', '1q2w3e4r5t6y']) {
      const res = await change(h, alice, PASSWORD, common);
      expect(res.status).toBe(400);
      const error = await errorOf(res);
      expect(error).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ path: 'newPassword', reason: 'is one of the most common passwords' }],
      });
      expect(error.message).toMatch(/Choose another/);
    }
    expect((await h.login('alice')).res.status).toBe(201);
  });

  it('refuses each of the last 4 passwords, and takes back the 5th', async () => {
    const h = await harness(roomy(3));
    const alice = await h.session('alice');
    const passwords = [PASSWORD, 'amber1Canyon2drift', 'birch3Delta4ember', 'cobalt5Fjord6glade'];
    for (let i = 1; i < passwords.length; i++) expect((await change(h, alice, passwords[i - 1]!, passwords[i]!)).status).toBe(204);
    const current = passwords.at(-1)!;
    // The last 4: the current one and the three before it.
    for (const used of passwords) {
      const res = await change(h, alice, current, used);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toMatchObject({
        code: 'VALIDATION_FAILED',
        fields: [{ path: 'newPassword', reason: 'was used recently: choose one you have not used in your last 4' }],
      });
    }
    expect((await change(h, alice, current, 'dune7Ginger8harbor')).status).toBe(204);
    // PASSWORD is now the 5th back: allowed again.
    expect((await change(h, alice, 'dune7Ginger8harbor', PASSWORD)).status).toBe(204);
    expect((await h.login('alice')).res.status).toBe(201);
    expect(await h.all('SELECT 1 FROM password_history WHERE operator_id = ?', alice.operatorId)).toHaveLength(3);
    const written = JSON.stringify(h.audit.entries) + h.logLines.join('\n');
    for (const p of [...passwords, 'dune7Ginger8harbor']) expect(written).not.toContain(p);
  });

  it('refuses a body without both passwords', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const res = await h.request('/v1/sessions/current/password', { body: { newPassword: NEW }, headers: alice.headers });
    expect(res.status).toBe(400);
    expect(await errorOf(res)).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'currentPassword' }] });
  });
});
