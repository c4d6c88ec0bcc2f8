/** Every action and refusal audited with actor, site, ids, origin, outcome; no secrets; 12 months. */
import { generateInvitationKeyPair } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from '../test/harness.js';
import { CARD, CVV, openAndView, POSTCODE, retrieve, sent, submitted, typedText } from '../test/flows.js';

describe('the audit trail', () => {
  it('records send, open, view, submit, retrieve, cancel, transfer, history-view and refusals, without a secret', async () => {
    const h = await harness();
    const totpCode = h.totp('morgan');
    const t = await submitted(h);
    await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    await retrieve(h, t.submissionId, t.retrieveOtk, { ...t.alice.headers, Origin: 'http://localhost:8080' }); // replay: refused
    const morgan = await h.session('morgan');
    const oneView = await generateInvitationKeyPair();
    await h.request(`/v1/submissions/${t.submissionId}/history-view`, { headers: morgan.headers, body: { publicKey: oneView.publicJwk } });
    const bob = await h.session('bob');
    const second = await h.request(`/v1/conversations/${t.visitor.id}/invitations`, {
      headers: t.alice.headers,
      body: { formId: 'card-payment', publicKey: t.keys.publicJwk },
    });
    const iid = ((await second.json()) as { id: string }).id;
    await h.request(`/v1/invitations/${iid}/cancel`, { method: 'POST', headers: t.alice.headers });
    await h.request(`/v1/conversations/${t.visitor.id}/transfer`, { headers: t.alice.headers, body: { agentId: bob.operatorId } });
    await h.login('alice', 'wrong-password-9');

    const by = (action: string) => h.audit.entries.filter((e) => e.action === action);
    const ok = { outcome: 'success', siteId: 'demo' };
    expect(by('invitation.send')[0]).toMatchObject({
      ...ok,
      actor: `operator:${t.alice.operatorId}`,
      conversationId: t.visitor.id,
      invitationId: t.invitation.id,
    });
    expect(by('invitation.open')[0]).toMatchObject({ ...ok, actor: `visitor:${t.visitor.id}`, invitationId: t.invitation.id });
    expect(by('form.view')[0]).toMatchObject({ ...ok, actor: `visitor:${t.visitor.id}`, invitationId: t.invitation.id });
    expect(by('submission.submit')[0]).toMatchObject({ ...ok, submissionId: t.submissionId });
    expect(by('submission.retrieve')).toEqual([
      expect.objectContaining({ ...ok, submissionId: t.submissionId, invitationId: t.invitation.id }),
      expect.objectContaining({
        outcome: 'refused',
        reason: 'OTK_USED',
        origin: 'http://localhost:8080',
        actor: `operator:${t.alice.operatorId}`,
      }),
    ]);
    expect(by('history.view')[0]).toMatchObject({
      ...ok,
      actor: `operator:${morgan.operatorId}`,
      submissionId: t.submissionId,
      invitationId: t.invitation.id,
    });
    expect(by('invitation.cancel')[0]).toMatchObject({ ...ok, invitationId: iid, conversationId: t.visitor.id });
    expect(by('conversation.transfer')[0]).toMatchObject({ ...ok, targetOperatorId: bob.operatorId });
    expect(by('login').at(-1)).toMatchObject({ outcome: 'refused', reason: 'INVALID_CREDENTIALS', siteId: 'demo' });

    const dump = JSON.stringify(h.audit.entries) + h.logLines.join('');
    for (const secret of [CARD, CVV, POSTCODE, totpCode]) expect(typedText(dump)).not.toContain(secret);
    for (const secret of [
      PASSWORD,
      t.retrieveOtk,
      t.opened.viewOtk,
      t.view.submitOtk,
      t.visitor.token,
      t.alice.token,
      morgan.token,
      'wrong-password-9',
    ]) {
      expect(dump).not.toContain(secret);
    }
  });

  it("records the frame's open (form.open) with the visitor, conversation, site and invitation, and its refusal, never the token or the submit key", async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openAndView(h, s.visitor, s.invitation.id);
    const wrongToken = 'A'.repeat(43);
    const path = `/v1/invitations/${s.invitation.id}/view`;
    expect((await h.request(path, { method: 'POST', headers: { 'Secure-Forms-Conversation': wrongToken } })).status).toBe(401);
    expect(h.audit.entries.filter((e) => e.action === 'form.open')).toEqual([
      expect.objectContaining({
        outcome: 'success',
        actor: `visitor:${s.visitor.id}`,
        siteId: 'demo',
        conversationId: s.visitor.id,
        invitationId: s.invitation.id,
        path,
      }),
      expect.objectContaining({ outcome: 'refused', reason: 'UNAUTHENTICATED', invitationId: s.invitation.id, path }),
    ]);
    expect(h.logLines.filter((line) => line.includes(path))).toHaveLength(2);
    const dump = JSON.stringify(h.audit.entries) + h.logLines.join('');
    for (const secret of [s.visitor.token, opened.submitOtk, wrongToken]) expect(dump).not.toContain(secret);
  });

  it('keeps 12 months: the purge job drops entries past the audit retention', async () => {
    const h = await harness();
    const old = { action: 'login' as const, outcome: 'success' as const, actor: 'anonymous' };
    h.audit.write({ ...old, at: new Date(h.now() - 366 * 24 * 3600_000).toISOString() });
    h.audit.write({ ...old, at: new Date(h.now() - 300 * 24 * 3600_000).toISOString() });
    expect((await h.app.purge()).auditPurged).toBe(1);
    expect(h.audit.entries).toHaveLength(1);
  });
});
