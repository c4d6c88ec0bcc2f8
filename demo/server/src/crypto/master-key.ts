/**
 * The master key of the local custody: `SECURE_FORMS_MASTER_KEY` (base64, 32 bytes), else
 * `<keyDir>/master.key`, generated on first start with mode 0600. The key directory is the data
 * directory unless SECURE_FORMS_KEY_DIR says otherwise (custody/config.ts); in production the
 * PKCS#11 custody keeps the keys in an HSM instead.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { readOrCreateKeyFile } from './key-file.js';

/** The 32-byte master key and where it came from. */
export function loadMasterKey(keyDir: string, fromEnv: string | undefined): { key: Buffer; source: 'env' | 'file' | 'generated' } {
  if (fromEnv !== undefined && fromEnv !== '') {
    const key = Buffer.from(fromEnv, 'base64');
    if (key.length !== 32) throw new Error('SECURE_FORMS_MASTER_KEY must be 32 bytes, base64-encoded.');
    return { key, source: 'env' };
  }
  const file = join(keyDir, 'master.key');
  // Several instances may start at once on a fresh key directory: one key is created, all use it.
  const { text, created } = readOrCreateKeyFile(file, () => `${randomBytes(32).toString('base64')}\n`);
  const key = Buffer.from(text.trim(), 'base64');
  if (key.length !== 32) throw new Error(`${file} does not hold a 32-byte base64 key.`);
  return { key, source: created ? 'generated' : 'file' };
}
