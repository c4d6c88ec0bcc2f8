import { describe, expect, it } from 'vitest';
import { openInvitationResponseSchema } from './invitations.js';

describe('invitation bodies', () => {
  it('tells the visitor how many more opens are left, never fewer than none', () => {
    const opened = { viewOtk: 'A'.repeat(43), expiresAt: '2026-11-29T09:30:00.000Z' };
    expect(openInvitationResponseSchema.safeParse({ ...opened, opensLeft: 0 }).success).toBe(true);
    expect(openInvitationResponseSchema.safeParse({ ...opened, opensLeft: -1 }).success).toBe(false);
    expect(openInvitationResponseSchema.safeParse({ ...opened, opensLeft: 1.5 }).success).toBe(false);
  });
});
