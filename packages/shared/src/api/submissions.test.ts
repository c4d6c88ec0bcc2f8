import { describe, expect, it } from 'vitest';
import { retrieveResponseSchema, submitRequestSchema } from './submissions.js';

const invitationId = '2b0f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10';

describe('submission bodies', () => {
  it('refuses a submission with unexpected envelope shapes', () => {
    const result = submitRequestSchema.safeParse({
      invitationId,
      onTheRecord: { ciphertext: 'not base64url!' },
      offTheRecord: null,
      fieldIds: { onTheRecord: [], offTheRecord: [] },
      hints: {},
    });
    expect(result.success).toBe(false);
  });
  it('takes a card brand and last four as the only hints in clear', () => {
    const body = { invitationId, onTheRecord: null, offTheRecord: null, fieldIds: { onTheRecord: [], offTheRecord: [] } };
    expect(submitRequestSchema.safeParse({ ...body, hints: { cardBrand: 'visa', lastFour: '1111' } }).success).toBe(true);
    expect(submitRequestSchema.safeParse({ ...body, hints: { lastFour: '41111' } }).success).toBe(false);
    expect(submitRequestSchema.safeParse({ ...body, hints: { cardBrand: 'not-a-network' } }).success).toBe(false);
  });
  it('names the off-the-record part’s state on a retrieve', () => {
    const retrieved = {
      submissionId: invitationId,
      invitationId,
      siteId: 'demo',
      formRef: 'card-payment@1',
      submittedAt: '2026-11-29T09:30:00.000Z',
      onTheRecord: null,
      offTheRecord: null,
      offTheRecordExpiresAt: null,
      hints: {},
    };
    expect(retrieveResponseSchema.safeParse({ ...retrieved, offTheRecordState: 'handed-out' }).success).toBe(true);
    expect(retrieveResponseSchema.safeParse({ ...retrieved, offTheRecordState: 'deleted' }).success).toBe(false);
  });
});
