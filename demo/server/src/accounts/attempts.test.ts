/**
 * The checks around a counted attempt, on their own: the rate limits per operator and per
 * address, the hashing gate's refusal when full, and a failure that locks (ending the operator's
 * sessions) or only refuses. The full sign-in and password change are in auth, lockout and
 * password-change tests.
 */
import { describe, expect, it } from 'vitest';
import { MemoryEphemeral } from '../ephemeral/memory.js';
import type { SiteConfig } from '../sites/schema.js';
import type { OperatorRow, Store } from '../storage/types.js';
import { Attempts } from './attempts.js';
import { RateLimiter } from './rate-limit.js';
import { SignInRefused } from './refusals.js';
import type { SessionsEnded } from './sessions-ended.js';

const site = {
  id: 'demo',
  lockoutThreshold: 3,
  lockoutMinutes: 30,
  loginRateLimit: { windowSeconds: 60, perOperator: 2, perAddress: 3 },
} as SiteConfig;
const operator = { id: 'op-1' } as OperatorRow;

function attempts(lockNow = false) {
  const clock = () => 1_000_000;
  const ended: SessionsEnded[] = [];
  const store = { lockAfterFailure: async () => lockNow } as unknown as Store;
  const limiter = new RateLimiter(new MemoryEphemeral(clock).windows('sign-in'), clock);
  return { ended, attempts: new Attempts(store, limiter, clock, async (e) => void ended.push(e)) };
}

const refusalOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SignInRefused);
  return error as SignInRefused;
};

describe('counted attempts', () => {
  it('refuses past the per-operator limit, naming what was limited and when to try again', async () => {
    const { attempts: a } = attempts();
    await a.rateLimit(site, 'op-1', '203.0.113.1', 'operator:op-1', 'password');
    await a.rateLimit(site, 'op-1', '203.0.113.2', 'operator:op-1', 'password');
    const error = await refusalOf(a.rateLimit(site, 'op-1', '203.0.113.3', 'operator:op-1', 'password'));
    expect(error.code).toBe('RATE_LIMITED');
    expect(error.message).toBe('Too many password attempts. Wait a moment, then try again.');
    expect(error.retryAfterSeconds).toBe(60);
    expect(error.auditActor).toBe('operator:op-1');
  });
  it('refuses past the per-address limit, whichever operators were tried', async () => {
    const { attempts: a } = attempts();
    for (const key of ['a', 'b', 'c']) await a.rateLimit(site, key, '203.0.113.1', `typed:${key}`);
    expect((await refusalOf(a.rateLimit(site, 'd', '203.0.113.1', 'typed:d'))).code).toBe('RATE_LIMITED');
  });
  it('answers SERVICE_BUSY, nothing checked, when the hashing gate is full', async () => {
    const { attempts: a } = attempts();
    a.hashing.limits = { concurrency: 1, queue: 0 };
    let release = () => {};
    const running = a.gated(() => new Promise<void>((resolve) => (release = resolve)), 'operator:op-1');
    const error = await refusalOf(a.gated(async () => 'checked', 'operator:op-2'));
    expect(error.code).toBe('SERVICE_BUSY');
    expect(error.retryAfterSeconds).toBe(1);
    expect(error.auditActor).toBe('operator:op-2');
    release();
    await running;
  });
  it('ends the operator’s sessions when a failure locks it, and only refuses otherwise', async () => {
    const unlocked = attempts(false);
    expect((await refusalOf(unlocked.attempts.fail(operator, site, 'code'))).code).toBe('TOTP_WRONG');
    expect(unlocked.ended).toEqual([]);
    const locking = attempts(true);
    await refusalOf(locking.attempts.fail(operator, site));
    expect(locking.ended).toEqual([{ kind: 'lock', operatorId: 'op-1', siteId: 'demo', at: 1_000_000 }]);
  });
});
