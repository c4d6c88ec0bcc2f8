/** The refusals of a sign-in, and what their audit lines need beyond the answer. */
import { Refusal } from '../domain/refusal.js';

/** A refused sign-in, with what its audit line needs beyond the answer. */
export class SignInRefused extends Refusal {
  /** `operator:<id>`, or `typed-username:<keyed hash>` when no operator has that username. */
  auditActor?: string;
  /** The account was locked (or every attempt of its cycle was taken): nothing was checked. */
  locked = false;
}

/** A sign-in refusal with its audit actor, and whether the account is (now) locked. */
function signInRefusal(
  code: 'INVALID_CREDENTIALS' | 'ACCOUNT_LOCKED' | 'TOTP_WRONG' | 'TOTP_REUSED',
  message: string,
  actor: string,
  locked = false,
): SignInRefused {
  const error = new SignInRefused(code, message);
  error.auditActor = actor;
  error.locked = locked;
  return error;
}

/** One sentence for a wrong password, an unknown username and a locked account alike. */
export const INVALID_MESSAGE =
  'The username or password is not right, or the account is locked for a while after too many failed sign-ins. Check them and try again later, or ask an administrator.';

/** The refusal of a sign-in: wrong password, unknown username or (`locked`) a locked account alike. */
export function refused(actor: string, locked = false): SignInRefused {
  return signInRefusal('INVALID_CREDENTIALS', INVALID_MESSAGE, actor, locked);
}

/**
 * The wrong password that locked the account. A username no operator has is refused the same way
 * at the same count (AccountService counts those too), so saying so tells nobody who exists.
 */
export function lockedByPassword(actor: string, minutes: number): SignInRefused {
  return signInRefusal(
    'ACCOUNT_LOCKED',
    `That was one wrong password too many: this account is now locked for ${minutes} minutes. Try again later, or ask an administrator to unlock it sooner.`,
    // Not `locked` for the audit: this password was checked (audited as `login`, not `login.locked`).
    actor,
  );
}

/** A second-factor step of a locked account. */
export function lockedAfterPassword(actor: string): SignInRefused {
  // The caller already proved the password (a second-factor challenge): saying "locked" tells them nothing new.
  return signInRefusal(
    'ACCOUNT_LOCKED',
    'This account is locked for a while after too many failed sign-ins. Try again later, or ask an administrator.',
    actor,
    true,
  );
}

/** A wrong authenticator code after a right password: the caller proved the password, so the code is named. */
export function wrongCode(actor: string): SignInRefused {
  return signInRefusal(
    'TOTP_WRONG',
    'The authenticator code is not right. Enter the code your authenticator app shows now; each wrong code counts towards the lock.',
    actor,
  );
}

/** A valid authenticator code that was already accepted once (a replay): not counted as a failure. */
export function reusedCode(actor: string): SignInRefused {
  return signInRefusal(
    'TOTP_REUSED',
    'That code was already used. Wait for the next code in your authenticator app, then enter it.',
    actor,
  );
}

/** The wrong code that locked the account: after a right password, saying so tells nothing new. */
export function lockedNow(actor: string, minutes: number): SignInRefused {
  return signInRefusal(
    'ACCOUNT_LOCKED',
    `That was one wrong code too many: this account is now locked for ${minutes} minutes. Try again later, or ask an administrator to unlock it sooner.`,
    actor,
    true,
  );
}

/** A wrong current password at a password change: the caller holds a session, so the account is no secret. */
export function wrongCurrentPassword(actor: string): SignInRefused {
  return signInRefusal(
    'INVALID_CREDENTIALS',
    'The current password is not right. Check it and try again; each wrong password counts towards the lock.',
    actor,
  );
}

/** The wrong current password that locked the account (and so ended the caller's session too). */
export function lockedByCurrentPassword(actor: string, minutes: number): SignInRefused {
  return signInRefusal(
    'ACCOUNT_LOCKED',
    `That was one wrong password too many: this account is now locked for ${minutes} minutes and signed out. Try again later, or ask an administrator to unlock it sooner.`,
    actor,
    true,
  );
}
