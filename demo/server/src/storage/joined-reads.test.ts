/**
 * The store's joined reads give what the single-table reads give, column for column: a joined row
 * is taken apart by each table's own column list, so nothing of one row rides on another (a
 * submission's sealed columns never end up on the invitation it is read with).
 */
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';
import { submitted } from '../test/flows.js';
import { sha256 } from '../crypto/tokens.js';

describe('a submission read with its invitation and conversation', () => {
  it('is the submission, and the invitation with its conversation, as each is read alone', async () => {
    const h = await harness();
    const t = await submitted(h);
    const { store } = h.app;
    const submission = await store.findSubmission(t.submissionId);
    const invitation = await store.findInvitationWithConversation(t.invitation.id);
    expect(submission?.ciphertext).toBeTruthy();
    expect(await store.findSubmissionWithInvitation(t.submissionId)).toStrictEqual({ submission, invitation });
    expect(await store.findSubmissionWithInvitation('no-such-submission')).toBeUndefined();
  });

  it('with the key presented for it: the key as read alone, and nothing for a key never issued', async () => {
    const h = await harness();
    const t = await submitted(h);
    const { store } = h.app;
    const read = await store.findSubmissionWithInvitation(t.submissionId);
    const key = await store.findOtk(sha256(t.retrieveOtk));
    expect(key?.resourceId).toBe(t.submissionId);
    expect(await store.findSubmissionWithInvitationAndKey(t.submissionId, sha256(t.retrieveOtk))).toStrictEqual({ ...read, key });
    expect(await store.findSubmissionWithInvitationAndKey(t.submissionId, sha256('never-issued'))).toStrictEqual(read);
    expect(await store.findSubmissionWithInvitationAndKey('no-such-submission', sha256(t.retrieveOtk))).toBeUndefined();
  });
});

describe('a one-time key read with the invitation it names and its conversation', () => {
  it('is the key, and the invitation with its conversation, as each is read alone; a key that names no invitation comes alone', async () => {
    const h = await harness();
    const t = await submitted(h);
    const { store } = h.app;
    const invitation = await store.findInvitationWithConversation(t.invitation.id);
    for (const otk of [t.opened.viewOtk, t.submitOtk]) {
      const key = await store.findOtk(sha256(otk));
      expect(key?.resourceId).toBe(t.invitation.id);
      expect(await store.findOtkWithInvitation(sha256(otk))).toStrictEqual({ key, invitation });
    }
    // A retrieve key names a submission: the key alone, nothing of another table beside it.
    const retrieveKey = await store.findOtk(sha256(t.retrieveOtk));
    expect(retrieveKey?.action).toBe('retrieve');
    expect(await store.findOtkWithInvitation(sha256(t.retrieveOtk))).toStrictEqual({ key: retrieveKey });
    expect(await store.findOtkWithInvitation(sha256('never-issued'))).toBeUndefined();
  });
});
