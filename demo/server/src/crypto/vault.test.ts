import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Vault } from './vault.js';

describe('Vault', () => {
  const vault = new Vault(randomBytes(32));
  it('unwraps what it wrapped, and hides the plaintext', () => {
    const wrapped = vault.wrap('{"ciphertext":"abc"}', 'sub-1', 'demo');
    expect(wrapped.keyId).toBe('k1');
    expect(wrapped.iv).toHaveLength(12);
    expect(wrapped.ciphertext.toString('latin1')).not.toContain('ciphertext');
    expect(vault.unwrap(wrapped, 'sub-1', 'demo')).toBe('{"ciphertext":"abc"}');
  });
  it('refuses a record moved to another submission or site, or tampered', () => {
    const wrapped = vault.wrap('x', 'sub-1', 'demo');
    expect(() => vault.unwrap(wrapped, 'sub-2', 'demo')).toThrow();
    expect(() => vault.unwrap(wrapped, 'sub-1', 'other')).toThrow();
    const tag = Buffer.from(wrapped.tag);
    tag[0] = (tag[0] ?? 0) ^ 1;
    expect(() => vault.unwrap({ ...wrapped, tag }, 'sub-1', 'demo')).toThrow();
  });
  it('derives a different data key per key id, and refuses another master key', () => {
    const wrapped = vault.wrap('x', 's', 'demo');
    expect(() => vault.unwrap({ ...wrapped, keyId: 'k2' }, 's', 'demo')).toThrow();
    expect(() => new Vault(randomBytes(32)).unwrap(wrapped, 's', 'demo')).toThrow();
    expect(() => new Vault(randomBytes(16))).toThrow();
  });
});
