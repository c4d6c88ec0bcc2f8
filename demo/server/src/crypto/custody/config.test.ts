import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../logger.js';
import { custodyFromEnv, isInside } from './config.js';
import { CustodyError } from './types.js';

const silent = createLogger({ level: 'silent' });
const dataDir = () => mkdtempSync(join(tmpdir(), 'sf-custody-data-'));

describe('the key custody from the environment', () => {
  it('refuses to start with local key files inside the data directory', () => {
    const dir = dataDir();
    expect(() => custodyFromEnv({}, dir, silent)).toThrow(CustodyError);
    expect(() => custodyFromEnv({}, dir, silent)).toThrow(
      /SECURE_FORMS_KEY_CUSTODY=pkcs11[\s\S]*SECURE_FORMS_KEY_DIR[\s\S]*SECURE_FORMS_ALLOW_LOCAL_KEYS=1/,
    );
    expect(() => custodyFromEnv({ SECURE_FORMS_KEY_DIR: join(dir, 'keys') }, dir, silent)).toThrow(CustodyError);
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
  });

  it('runs the demo on local key files with the switch, and warns', () => {
    const dir = dataDir();
    const { custody, warnings } = custodyFromEnv({ SECURE_FORMS_ALLOW_LOCAL_KEYS: '1' }, dir, silent);
    expect(custody.kind).toBe('local');
    expect(existsSync(join(dir, 'master.key'))).toBe(true);
    expect(warnings.join('\n')).toMatch(/WARNING: the keys are files in the data directory/);
  });

  it('runs on local key files kept outside the data directory without the switch', () => {
    const dir = dataDir();
    const keyDir = join(mkdtempSync(join(tmpdir(), 'sf-custody-keys-')), 'keys');
    const { custody, warnings } = custodyFromEnv({ SECURE_FORMS_KEY_DIR: keyDir }, dir, silent);
    expect(custody.kind).toBe('local');
    expect(existsSync(join(keyDir, 'master.key'))).toBe(true);
    expect(existsSync(join(dir, 'master.key'))).toBe(false);
    expect(warnings.join('\n')).toMatch(/local files/);
  });

  it('asks for the PKCS#11 token, a PIN, and a PIN file outside the data directory', () => {
    const dir = dataDir();
    const module = join(dir, '..', 'fake-module.so'); // exists: the checks before loading it are what is tested
    writeFileSync(module, '');
    const base = { SECURE_FORMS_KEY_CUSTODY: 'pkcs11', SECURE_FORMS_PKCS11_MODULE: module };
    expect(() => custodyFromEnv({ ...base, SECURE_FORMS_PKCS11_MODULE: join(dir, 'none.so') }, dir, silent)).toThrow(/does not exist/);
    expect(() => custodyFromEnv(base, dir, silent)).toThrow(/SECURE_FORMS_PKCS11_TOKEN_LABEL/);
    expect(() => custodyFromEnv({ ...base, SECURE_FORMS_PKCS11_SLOT: 'first' }, dir, silent)).toThrow(/slot id/);
    expect(() => custodyFromEnv({ ...base, SECURE_FORMS_PKCS11_TOKEN_LABEL: 't' }, dir, silent)).toThrow(/PIN is missing/);
    writeFileSync(join(dir, 'pin'), '1234\n');
    expect(() =>
      custodyFromEnv({ ...base, SECURE_FORMS_PKCS11_TOKEN_LABEL: 't', SECURE_FORMS_PKCS11_PIN_FILE: join(dir, 'pin') }, dir, silent),
    ).toThrow(/inside the data directory/);
    expect(() =>
      custodyFromEnv(
        { ...base, SECURE_FORMS_PKCS11_TOKEN_LABEL: 't', SECURE_FORMS_PKCS11_PIN_FILE: join(dir, '..', 'no-such-pin') },
        dir,
        silent,
      ),
    ).toThrow(/cannot be read/);
    expect(() => custodyFromEnv({ SECURE_FORMS_KEY_CUSTODY: 'kms' }, dir, silent)).toThrow(/local or pkcs11/);
  });

  it('sees through symbolic links and relative paths when it asks what is inside the data directory', () => {
    const dir = dataDir();
    mkdirSync(join(dir, 'keys'));
    expect(isInside(join(dir, 'keys', '..', 'keys'), dir)).toBe(true);
    expect(isInside(dir, dir)).toBe(true);
    expect(isInside(join(dir, '..'), dir)).toBe(false);
  });
});
