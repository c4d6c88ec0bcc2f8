/**
 * A SoftHSM2 token of its own for a test: a temporary token directory and configuration
 * (SOFTHSM2_CONF), a token initialised with random PINs, and its removal. SoftHSM2 comes from
 * Debian's softhsm2 package; `npm test` installs it (scripts/ensure-softhsm.ts).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** SoftHSM2's PKCS#11 module (SECURE_FORMS_PKCS11_MODULE overrides it). */
export const SOFTHSM_MODULE = process.env.SECURE_FORMS_PKCS11_MODULE || '/usr/lib/softhsm/libsofthsm2.so';

/** Why SoftHSM2 cannot be used here, or undefined when it can. */
export function softHsmMissing(): string | undefined {
  if (!existsSync(SOFTHSM_MODULE)) return `no PKCS#11 module at ${SOFTHSM_MODULE}`;
  try {
    execFileSync('softhsm2-util', ['--version'], { stdio: 'ignore' });
  } catch {
    return 'softhsm2-util is not on the PATH';
  }
  return undefined;
}

export interface SoftHsmToken {
  label: string;
  pin: string;
  /** The temporary directory: softhsm2.conf and tokens/. */
  dir: string;
  /** The environment that points SoftHSM2 at this token directory. */
  env: { SOFTHSM2_CONF: string };
  remove(): void;
}

/** Initialise a token labelled `label` in a new temporary token directory. */
export function createSoftHsmToken(label = 'secure-forms-test'): SoftHsmToken {
  const dir = mkdtempSync(join(tmpdir(), 'sf-softhsm-'));
  mkdirSync(join(dir, 'tokens'), { mode: 0o700 });
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(conf, `directories.tokendir = ${join(dir, 'tokens')}\nobjectstore.backend = file\nlog.level = ERROR\n`);
  const pin = randomBytes(8).toString('hex');
  const soPin = randomBytes(8).toString('hex');
  execFileSync('softhsm2-util', ['--init-token', '--free', '--label', label, '--pin', pin, '--so-pin', soPin], {
    env: { ...process.env, SOFTHSM2_CONF: conf },
    stdio: 'ignore',
  });
  return { label, pin, dir, env: { SOFTHSM2_CONF: conf }, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
