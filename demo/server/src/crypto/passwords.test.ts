import { describe, expect, it } from 'vitest';
import { generatePassword, hashPassword, passwordPolicyProblem, verifyPassword } from './passwords.js';

describe('passwords', () => {
  it('hashes with scrypt and a random salt, and verifies', async () => {
    const a = await hashPassword('correct7horse8battery');
    const b = await hashPassword('correct7horse8battery');
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct7horse8battery', a)).toBe(true);
    expect(await verifyPassword('correct7horse8batterx', a)).toBe(false);
    expect(await verifyPassword('x', 'not-a-hash')).toBe(false);
  });
  it('enforces at least 12 characters with letters and digits', () => {
    expect(passwordPolicyProblem('short1', { minLength: 12 })).not.toBeNull();
    expect(passwordPolicyProblem('onlyletterslong', { minLength: 12 })).not.toBeNull();
    expect(passwordPolicyProblem('123456789012', { minLength: 12 })).not.toBeNull();
    expect(passwordPolicyProblem('letters4and2digits', { minLength: 12 })).toBeNull();
  });
  it('generates passwords that meet the policy', () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toMatch(/^[A-Za-z0-9]{20}$/);
      expect(passwordPolicyProblem(p, { minLength: 16 })).toBeNull();
    }
  });
});
