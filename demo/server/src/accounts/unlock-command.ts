/**
 * The break-glass `unlock` operator command: ends an operator's sign-in lock from the machine the
 * backend runs on, for when the only admin is the one locked (an admin's re-enable needs a
 * session). The command is run by someone with access to the data directory; its audit line names
 * the operating-system user who ran it.
 */
import { userInfo } from 'node:os';
import type { AuditSink } from '../audit/audit.js';
import type { AccountService } from './accounts.js';

/** Unlock `username` of `siteId`; the line to print and the exit code. */
export async function unlockCommand(
  accounts: AccountService,
  audit: AuditSink,
  clock: () => number,
  siteId: string | undefined,
  username: string | undefined,
): Promise<{ message: string; exitCode: number }> {
  if (!siteId || !username) return { message: 'Usage: cli.ts unlock <site id> <username>', exitCode: 2 };
  const result = await accounts.operators.unlock(siteId, username);
  if (!result)
    return { message: `There is no operator "${username}" on site "${siteId}". Check both names in the sites file.`, exitCode: 1 };
  audit.write({
    at: new Date(clock()).toISOString(),
    action: 'operator.unlock',
    outcome: 'success',
    actor: `os-user:${userInfo().username}`,
    siteId,
    targetOperatorId: result.operator.id,
  });
  return {
    message: result.wasLocked
      ? `Unlocked ${username} on ${siteId}: the failed sign-in count is cleared; they can sign in now.`
      : `${username} on ${siteId} was not locked; the failed sign-in count is cleared.`,
    exitCode: 0,
  };
}
