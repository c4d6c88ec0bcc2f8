/**
 * Changing one's own password (PCI DSS 8.3.6, 8.3.7): the current password is checked as a
 * sign-in checks it (the same rate limits, counted, a wrong one towards the lock), then the new
 * one's rules (new-password.ts); the new hash is stored, the old one kept for the reuse rule, and
 * every other session of the operator ends.
 */
import { hashPassword, verifyPassword } from '../crypto/passwords.js';
import type { Store } from '../storage/types.js';
import type { Authenticated } from './accounts.js';
import { operatorActor } from '../audit/actors.js';
import type { Attempts } from './attempts.js';
import { checkNewPassword, PASSWORD_HISTORY, reusedPassword } from './new-password.js';
import { lockedAfterPassword, wrongCurrentPassword } from './refusals.js';
import type { SessionsEnded } from './sessions-ended.js';

/** The signed-in operator's own password change. */
export class PasswordChange {
  constructor(
    private readonly store: Store,
    private readonly attempts: Attempts,
    private readonly clock: () => number,
    private readonly ended: (ended: SessionsEnded) => Promise<void>,
  ) {}

  /**
   * The current password checked and counted as at sign-in, then the new one's rules; on success
   * the old hash joins the history, every other session ends (with its event streams) and this
   * one stays.
   */
  async change(auth: Authenticated, currentPassword: string, newPassword: string, address: string): Promise<void> {
    const { operator, session, site } = auth;
    const actor = operatorActor(operator.id);
    await this.attempts.rateLimit(site, operator.id, address, actor, 'password');
    // The policy and the common list need no hashing: checked first, so that a new password
    // refused for them costs no attempt of the lock cycle.
    await checkNewPassword(newPassword, site);
    const lockMs = site.lockoutMinutes * 60_000;
    const verdict = await this.attempts.gated(
      async () => {
        // Counted before the check, atomically, as a sign-in: a burst gets at most the threshold of checks.
        const counted = await this.store.countSignInAttempt(operator.id, site.lockoutThreshold, lockMs, this.clock());
        if (!counted) return 'locked' as const;
        if (!(await verifyPassword(currentPassword, counted.passwordHash))) return 'wrong' as const;
        // The last PASSWORD_HISTORY: the current one (the same string as the one just checked,
        // as scrypt sees it) and the stored earlier ones, each checked in this same gated task.
        const reused =
          newPassword.normalize('NFKC') === currentPassword.normalize('NFKC') ||
          (await this.usedBefore(operator.id, newPassword, PASSWORD_HISTORY - 1));
        if (reused) return 'reused' as const;
        return { oldHash: counted.passwordHash, newHash: await hashPassword(newPassword) };
      },
      actor,
      'Password changes are busy right now. Nothing was checked or changed.',
    );
    // The operator holds a session, so the lock is no secret to it (authenticate says so too).
    if (verdict === 'locked') throw lockedAfterPassword(actor);
    if (verdict === 'wrong') return this.attempts.fail(operator, site, 'current-password');
    if (verdict === 'reused') {
      // The current password was right: not a failure.
      await this.store.uncountSignInAttempt(operator.id);
      throw reusedPassword();
    }
    const changed = await this.store.changePassword({
      operatorId: operator.id,
      oldHash: verdict.oldHash,
      newHash: verdict.newHash,
      keep: PASSWORD_HISTORY - 1,
      keptTokenHash: session.tokenHash,
      now: this.clock(),
    });
    if (!changed) {
      // Another change (or a lock) came first: the password checked is no longer the current one.
      await this.store.uncountSignInAttempt(operator.id);
      throw wrongCurrentPassword(actor);
    }
    await this.ended({ kind: 'password-change', operatorId: operator.id, keptTokenHash: session.tokenHash });
  }

  /** Whether `password` is one of the operator's `count` stored earlier passwords (newest first). */
  private async usedBefore(operatorId: string, password: string, count: number): Promise<boolean> {
    for (const hash of await this.store.listPasswordHistory(operatorId, count)) {
      if (await verifyPassword(password, hash)) return true;
    }
    return false;
  }
}
