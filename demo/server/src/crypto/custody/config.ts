/**
 * The key custody from the environment, with the startup checks that keep keys out of the data
 * directory:
 *
 *   SECURE_FORMS_KEY_CUSTODY        local (default) | pkcs11
 *   local:   SECURE_FORMS_KEY_DIR (default: the data directory) holds master.key (unless
 *            SECURE_FORMS_MASTER_KEY) and the history key files. Inside the data directory the
 *            server refuses to start unless SECURE_FORMS_ALLOW_LOCAL_KEYS=1 (the demo sets it).
 *   pkcs11:  SECURE_FORMS_PKCS11_MODULE (default /usr/lib/softhsm/libsofthsm2.so),
 *            SECURE_FORMS_PKCS11_TOKEN_LABEL or SECURE_FORMS_PKCS11_SLOT,
 *            SECURE_FORMS_PKCS11_PIN_FILE (preferred) or SECURE_FORMS_PKCS11_PIN,
 *            SECURE_FORMS_PKCS11_KEY_LABEL (default secure-forms; the prefix of the key labels).
 */
import { existsSync, mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import type { Logger } from '../../logger.js';
import { loadMasterKey } from '../master-key.js';
import { LocalCustody } from './local.js';
import { Pkcs11Custody } from './pkcs11.js';
import { CustodyError, type KeyCustody } from './types.js';

/** SoftHSM2's module on Debian and Ubuntu (package softhsm2). */
export const DEFAULT_PKCS11_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

/** The custody and what the startup banner says about it (never a secret). */
export interface ConfiguredCustody {
  custody: KeyCustody;
  /** One line for the banner: where the keys are. */
  summary: string;
  /** Banner warnings (local keys in use). */
  warnings: string[];
}

function real(path: string): string {
  return existsSync(path) ? realpathSync(path) : resolve(path);
}

/** Whether `path` is `dir` or inside it (after symbolic links). */
export function isInside(path: string, dir: string): boolean {
  const rel = relative(real(dir), real(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** The custody configured by `env` for the data directory `dataDir` (which exists). */
export function custodyFromEnv(env: NodeJS.ProcessEnv, dataDir: string, logger: Logger): ConfiguredCustody {
  const kind = env.SECURE_FORMS_KEY_CUSTODY || 'local';
  if (kind === 'pkcs11') return pkcs11FromEnv(env, dataDir, logger);
  if (kind !== 'local') throw new CustodyError('SECURE_FORMS_KEY_CUSTODY must be local or pkcs11.');

  const keyDir = env.SECURE_FORMS_KEY_DIR || dataDir;
  const inDataDir = isInside(keyDir, dataDir);
  if (inDataDir && env.SECURE_FORMS_ALLOW_LOCAL_KEYS !== '1') {
    throw new CustodyError(
      [
        `Refusing to start: the local key custody would keep the master key and the history keys in the data directory (${dataDir}), where a copy of the directory opens every stored answer.`,
        'In production use an HSM: SECURE_FORMS_KEY_CUSTODY=pkcs11 (see docs/security.md, "Key custody").',
        'Or keep the key files elsewhere: SECURE_FORMS_KEY_DIR=<a directory outside the data directory>.',
        'For a demo on this machine only: SECURE_FORMS_ALLOW_LOCAL_KEYS=1.',
      ].join('\n'),
    );
  }
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const { key } = loadMasterKey(keyDir, env.SECURE_FORMS_MASTER_KEY);
  const custody = new LocalCustody(key, keyDir);
  return {
    custody,
    summary: `local key files in ${keyDir}`,
    warnings: [
      inDataDir
        ? 'WARNING: the keys are files in the data directory (SECURE_FORMS_ALLOW_LOCAL_KEYS=1): a copy of it opens every stored answer. Demo only.'
        : 'WARNING: the keys are local files (SECURE_FORMS_KEY_DIR): whoever can read them opens every stored answer. Use an HSM in production.',
    ],
  };
}

function pkcs11FromEnv(env: NodeJS.ProcessEnv, dataDir: string, logger: Logger): ConfiguredCustody {
  const module = env.SECURE_FORMS_PKCS11_MODULE || DEFAULT_PKCS11_MODULE;
  if (!existsSync(module)) {
    throw new CustodyError(
      `The PKCS#11 module ${module} does not exist: set SECURE_FORMS_PKCS11_MODULE to your HSM's library (SoftHSM2: apt-get install softhsm2).`,
    );
  }
  const tokenLabel = env.SECURE_FORMS_PKCS11_TOKEN_LABEL || undefined;
  const slotText = env.SECURE_FORMS_PKCS11_SLOT || undefined;
  if ((tokenLabel === undefined) === (slotText === undefined)) {
    throw new CustodyError('Set one of SECURE_FORMS_PKCS11_TOKEN_LABEL (the token label) or SECURE_FORMS_PKCS11_SLOT (the slot id).');
  }
  if (slotText !== undefined && !/^\d+$/.test(slotText)) throw new CustodyError('SECURE_FORMS_PKCS11_SLOT must be a slot id (a number).');
  const pinFile = env.SECURE_FORMS_PKCS11_PIN_FILE || undefined;
  let pin: string;
  if (pinFile !== undefined) {
    if (isInside(pinFile, dataDir)) {
      throw new CustodyError(
        'SECURE_FORMS_PKCS11_PIN_FILE is inside the data directory, where a copy of it would hold the PIN: move it out.',
      );
    }
    try {
      pin = readFileSync(pinFile, 'utf8').replace(/\r?\n$/, '');
    } catch {
      throw new CustodyError(`The PIN file ${pinFile} (SECURE_FORMS_PKCS11_PIN_FILE) cannot be read.`);
    }
  } else if (env.SECURE_FORMS_PKCS11_PIN) {
    pin = env.SECURE_FORMS_PKCS11_PIN;
  } else {
    throw new CustodyError(
      'The token PIN is missing: set SECURE_FORMS_PKCS11_PIN_FILE (a file readable by this user only) or SECURE_FORMS_PKCS11_PIN.',
    );
  }
  if (pin === '') throw new CustodyError('The token PIN is empty.');
  const warnings: string[] = [];
  if (env.SECURE_FORMS_MASTER_KEY)
    warnings.push('SECURE_FORMS_MASTER_KEY is set but not used: the PKCS#11 custody keeps its keys in the token.');
  const keyLabel = env.SECURE_FORMS_PKCS11_KEY_LABEL || 'secure-forms';
  const custody = new Pkcs11Custody({
    module,
    ...(tokenLabel !== undefined ? { tokenLabel } : { slot: BigInt(slotText!) }),
    pin,
    keyLabel,
    logger,
  });
  return {
    custody,
    summary: `PKCS#11 token ${tokenLabel !== undefined ? `"${tokenLabel}"` : `in slot ${slotText}`} (${module}), keys "${keyLabel}:*"`,
    warnings,
  };
}
