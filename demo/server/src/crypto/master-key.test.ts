import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey } from './master-key.js';

describe('loadMasterKey', () => {
  it('generates a 32-byte key into master.key with mode 0600, then reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-key-'));
    const first = loadMasterKey(dir, undefined);
    expect(first.source).toBe('generated');
    expect(first.key).toHaveLength(32);
    expect(statSync(join(dir, 'master.key')).mode & 0o777).toBe(0o600);
    const second = loadMasterKey(dir, undefined);
    expect(second.source).toBe('file');
    expect(second.key.equals(first.key)).toBe(true);
  });
  it('takes SECURE_FORMS_MASTER_KEY when set, and refuses a wrong length', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-key-'));
    const key = Buffer.alloc(32, 7);
    expect(loadMasterKey(dir, key.toString('base64')).key.equals(key)).toBe(true);
    expect(() => loadMasterKey(dir, Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
