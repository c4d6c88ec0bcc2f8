/**
 * What a sign-in and a password change share before and after a password check: the rate limits
 * (per operator found, else per typed username, and per client address), the global hashing gate
 * (a full gate answers 503 with Retry-After, nothing checked), and a counted failure that locks
 * the operator at the site's threshold and ends every session of it.
 */
import { HashingBusy, HashingGate } from '../crypto/hashing-gate.js';
import { operatorActor } from '../audit/actors.js';
import type { SiteConfig } from '../sites/schema.js';
import type { OperatorRow, Store } from '../storage/types.js';
import type { SessionsEnded } from './sessions-ended.js';
import { RateLimiter } from './rate-limit.js';
import {
  lockedByCurrentPassword,
  lockedByPassword,
  lockedNow,
  refused,
  SignInRefused,
  wrongCode,
  wrongCurrentPassword,
} from './refusals.js';

/** The checks around each counted attempt, for one process. */
export class Attempts {
  /** The global cap on password hashing (one per process). */
  readonly hashing = new HashingGate();

  constructor(
    private readonly store: Store,
    private readonly limiter: RateLimiter,
    private readonly clock: () => number,
    /** Told when a failure locks the operator: its sessions have ended. */
    private readonly ended: (ended: SessionsEnded) => Promise<void>,
  ) {}

  /**
   * Per operator found (else per typed string, so that a limit looks the same either way) and per
   * address; a password change counts in the same windows as the operator's sign-ins.
   */
  async rateLimit(site: SiteConfig | undefined, key: string, address: string, actor: string, what = 'sign-in'): Promise<void> {
    const limits = site?.loginRateLimit ?? { windowSeconds: 60, perOperator: 10, perAddress: 30 };
    const windowMs = limits.windowSeconds * 1000;
    const [byOperator, byAddress] = await Promise.all([
      this.limiter.hit(`op:${key}`, limits.perOperator, windowMs),
      this.limiter.hit(`ip:${address}`, limits.perAddress, windowMs),
    ]);
    const wait = Math.max(byOperator, byAddress);
    if (wait > 0) {
      const error = new SignInRefused('RATE_LIMITED', `Too many ${what} attempts. Wait a moment, then try again.`).retryAfter(wait);
      error.auditActor = actor;
      throw error;
    }
  }

  /** Run a password check through the hashing gate; 503 with Retry-After when it is full. */
  async gated<T>(task: () => Promise<T>, actor: string, busyMessage = 'Sign-in is busy right now. Nothing was checked.'): Promise<T> {
    try {
      return await this.hashing.run(task);
    } catch (error) {
      if (!(error instanceof HashingBusy)) throw error;
      const busy = new SignInRefused('SERVICE_BUSY', `${busyMessage} Try again in a moment.`).retryAfter(1);
      busy.auditActor = actor;
      throw busy;
    }
  }

  /**
   * A counted attempt failed: lock when the count has reached the threshold, then refuse; the
   * attempt that locks says so. A wrong password is refused as an unknown username is, at every
   * count (unknown usernames are counted too, so a lock tells nobody who exists); a wrong code comes
   * after a right password, and a wrong current password from a session, so those are named.
   */
  async fail(operator: OperatorRow, site: SiteConfig, what: 'password' | 'code' | 'current-password' = 'password'): Promise<never> {
    const now = this.clock();
    const actor = operatorActor(operator.id);
    const locked = await this.store.lockAfterFailure(operator.id, site.lockoutThreshold, now);
    if (locked) await this.ended({ kind: 'lock', operatorId: operator.id, siteId: site.id, at: now });
    if (what === 'password') throw locked ? lockedByPassword(actor, site.lockoutMinutes) : refused(actor);
    if (what === 'current-password') throw locked ? lockedByCurrentPassword(actor, site.lockoutMinutes) : wrongCurrentPassword(actor);
    throw locked ? lockedNow(actor, site.lockoutMinutes) : wrongCode(actor);
  }
}
