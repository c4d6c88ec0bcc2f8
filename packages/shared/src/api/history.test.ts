import { describe, expect, it } from 'vitest';
import { historyViewResponseSchema } from './history.js';

describe('history bodies', () => {
  it('refuses a history view without its on-the-record part, the only part the history key ever opens', () => {
    const view = {
      submissionId: '2b0f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10',
      invitationId: '3c1f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10',
      siteId: 'demo',
      formRef: 'card-payment@1',
      submittedAt: '2026-11-29T09:30:00.000Z',
      hints: {},
    };
    expect(historyViewResponseSchema.safeParse({ ...view, onTheRecord: null }).success).toBe(false);
  });
});
