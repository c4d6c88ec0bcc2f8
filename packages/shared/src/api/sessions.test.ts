import { describe, expect, it } from 'vitest';
import { changePasswordRequestSchema, loginRequestSchema, secondFactorRequestSchema } from './sessions.js';

describe('sign-in bodies', () => {
  it('takes a six-digit code with the password, or none', () => {
    const login = { siteId: 'demo', username: 'alice', password: 'correct horse' };
    expect(loginRequestSchema.safeParse(login).success).toBe(true);
    expect(loginRequestSchema.safeParse({ ...login, totp: '123456' }).success).toBe(true);
    expect(loginRequestSchema.safeParse({ ...login, totp: '12345' }).success).toBe(false);
    expect(secondFactorRequestSchema.safeParse({ challenge: 'c'.repeat(43), totp: '1234567' }).success).toBe(false);
  });
  it('refuses an empty or oversized password', () => {
    expect(loginRequestSchema.safeParse({ siteId: 'demo', username: 'alice', password: '' }).success).toBe(false);
    expect(changePasswordRequestSchema.safeParse({ currentPassword: 'x', newPassword: 'y'.repeat(1025) }).success).toBe(false);
  });
});
