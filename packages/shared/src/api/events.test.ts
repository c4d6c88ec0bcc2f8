import { describe, expect, it } from 'vitest';
import { agentEventSchema, visitorEventSchema } from './events.js';

describe('event stream shapes', () => {
  it('gives the visitor a conversation’s state, and the agent the retrieve key of a submission', () => {
    expect(visitorEventSchema.safeParse({ type: 'conversation', state: 'closed' }).success).toBe(true);
    const submission = {
      type: 'submission',
      invitationId: '2b0f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10',
      submissionId: '3c1f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10',
      retrieveOtk: 'A'.repeat(43),
      retrieveOtkExpiresAt: '2026-11-29T09:30:00.000Z',
    };
    expect(agentEventSchema.safeParse(submission).success).toBe(true);
    // The visitor's stream has no submission event: the retrieve key is the agent's alone.
    expect(visitorEventSchema.safeParse(submission).success).toBe(false);
  });
});
