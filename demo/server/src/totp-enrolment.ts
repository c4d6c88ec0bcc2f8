/**
 * The TOTP enrolment links of operators enrolled at this start. An `otpauth://` link holds the
 * TOTP secret, so it never goes to stdout (terminal scrollback, process supervisors and log
 * collectors keep what a server prints): it is appended to a file in the data directory that only
 * this user can read, and the banner names the file.
 */
import { appendFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

/** The file in the data directory that holds enrolment links until the operator deletes it. */
export const TOTP_ENROLMENT_FILE = 'totp-enrolment.txt';

/** Append the links (mode 0600, also when the file was there before); returns the file's path. */
export function writeTotpEnrolment(
  dataDir: string,
  enrolled: readonly { username: string; role: string; uri: string }[],
  at: Date = new Date(),
): string {
  const file = join(dataDir, TOTP_ENROLMENT_FILE);
  const lines = [
    `# ${at.toISOString()}: add each link to the operator's authenticator app, then delete this file.`,
    ...enrolled.map((t) => `${t.username} (${t.role}): ${t.uri}`),
    '',
  ];
  appendFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return file;
}
