/**
 * Key files that several server processes on one key directory may create at the same moment
 * (three instances started together on a fresh directory): exactly one file is created, complete,
 * and every process then uses that one. Written to a temporary file first and linked into place:
 * link() fails when the name exists, so no process ever overwrites another's key, and none reads
 * a file that is still being written (which `open(O_EXCL)` then `write` would allow).
 */
import { randomBytes } from 'node:crypto';
import { linkSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';

/**
 * `file`'s content: what is there, or else `content`, written now (mode 0600). `created` says which.
 * `content` is a function so that a key is only generated when it may be used.
 */
export function readOrCreateKeyFile(file: string, content: () => string): { text: string; created: boolean } {
  try {
    return { text: readFileSync(file, 'utf8'), created: false };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const text = content();
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, text, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temporary, file);
    return { text, created: true };
  } catch (error) {
    // Another process created it first: its key is the key.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return { text: readFileSync(file, 'utf8'), created: false };
  } finally {
    unlinkSync(temporary);
  }
}
