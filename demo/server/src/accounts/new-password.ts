/**
 * The rules an operator's new password meets (PCI DSS 8.3.6, 8.3.7): the site's policy, not one
 * of the most common passwords, not one of the operator's last {@link PASSWORD_HISTORY}. Each
 * refusal is VALIDATION_FAILED with a `fields` entry naming `newPassword` and a reason a person
 * can act on; the message says what to do. None of them echoes the password.
 */
import { isCommonPassword } from '../crypto/common-passwords.js';
import { passwordPolicyProblem } from '../crypto/passwords.js';
import { Refusal } from '../domain/refusal.js';
import type { SiteConfig } from '../sites/schema.js';

/** How many passwords a new one must differ from: the current one and the three before it (PCI DSS 8.3.7). */
export const PASSWORD_HISTORY = 4;

function refusal(message: string, reason: string): Refusal {
  return new Refusal('VALIDATION_FAILED', message, [{ path: 'newPassword', reason }]);
}

/**
 * Refuse a new password that breaks the site's policy or is a common one. Cheap (no hashing), so
 * it runs before the current password is checked or counted.
 */
export async function checkNewPassword(password: string, site: SiteConfig): Promise<void> {
  const problem = passwordPolicyProblem(password, { minLength: site.passwordMinLength });
  if (problem) throw refusal(`The new password must have ${problem}. Choose another.`, `must have ${problem}`);
  if (await isCommonPassword(password)) {
    throw refusal(
      'The new password is one of the most common passwords, the first ones an attacker tries. Choose another.',
      'is one of the most common passwords',
    );
  }
}

/** The new password is one of the last {@link PASSWORD_HISTORY}. */
export function reusedPassword(): Refusal {
  return refusal(
    `The new password was used recently. Choose one you have not used in your last ${PASSWORD_HISTORY} passwords.`,
    `was used recently: choose one you have not used in your last ${PASSWORD_HISTORY}`,
  );
}
