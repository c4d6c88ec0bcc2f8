/**
 * The secure form round trip at the HTTP level, with the real envelope: the agent's key pair, the
 * frame's sealing, the backend's storage and relay, the agent's opening of the answers. The
 * off-the-record part is stored nowhere on disk (never-list row 2, docs/never-list.md).
 */
import {
  extendResponseSchema,
  generateInvitationKeyPair,
  invitationViewSchema,
  messageListResponseSchema,
  openAnswers,
  retrieveOtkResponseSchema,
  retrieveResponseSchema,
} from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness, PASSWORD } from './test/harness.js';
import { CARD, code, CVV, openForm, POSTCODE, retrieve, seal, sent, submitted, typedText, viewForm } from './test/flows.js';

describe('the round trip', () => {
  it('carries sealed answers from the visitor to the sending agent, and only they can open them', async () => {
    const h = await harness();
    const t = await submitted(h);
    expect(t.view).toMatchObject({ siteId: 'demo', form: { id: 'card-payment', version: 1 }, extensionsLeft: 10 });
    // The agent's key first; the site history key second (history viewing is on for site demo).
    expect(t.view.recordKeys[0]).toEqual(t.keys.publicJwk);
    expect(t.view.recordKeys).toHaveLength(2);
    expect(t.view.recordKeys[1]?.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(t.view.offTheRecordKey).toEqual(t.keys.publicJwk);
    expect(t.view.offTheRecordKey).toEqual(t.keys.publicJwk);

    const res = await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    expect(res.status).toBe(200);
    const got = retrieveResponseSchema.parse(await res.json());
    expect(got).toMatchObject({
      submissionId: t.submissionId,
      invitationId: t.invitation.id,
      formRef: 'card-payment@1',
      offTheRecordState: 'available',
      hints: { cardBrand: 'visa', lastFour: '1111' },
    });
    expect(await openAnswers(got.onTheRecord!, t.keys.privateKey, t.binding('on-the-record'))).toEqual({
      cardNumber: CARD,
      billingPostcode: POSTCODE,
    });
    expect(await openAnswers(got.offTheRecord!, t.keys.privateKey, t.binding('off-the-record'))).toEqual({ cvv: CVV });

    // The transcript holds the invitation and status lines, never a value or a key.
    const transcript = messageListResponseSchema.parse(
      await (await h.request(`/v1/conversations/${t.visitor.id}/messages`, { headers: t.visitor.headers })).json(),
    );
    const lines = transcript.messages.filter((m) => m.kind !== 'text');
    expect(lines.map((m) => (m.kind === 'invitation-status' ? m.state : m.kind))).toEqual(['invitation', 'opened', 'submitted', 'viewed']);
    const dump = JSON.stringify(transcript);
    for (const secret of ['4111', POSTCODE, CVV]) expect(typedText(dump)).not.toContain(secret);
    for (const secret of [t.retrieveOtk, t.submitOtk, t.opened.viewOtk, t.keys.publicJwk.x]) expect(dump).not.toContain(secret);

    const invitation = invitationViewSchema.parse(
      await (await h.request(`/v1/invitations/${t.invitation.id}`, { headers: t.alice.headers })).json(),
    );
    expect(invitation).toMatchObject({ state: 'viewed', submissionId: t.submissionId, opens: 1 });
  });

  it('refuses every one-time key when replayed', async () => {
    const h = await harness();
    const t = await submitted(h);
    expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);

    const view = await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(t.opened.viewOtk) });
    expect(view.status).toBe(410);
    expect(await code(view)).toBe('OTK_USED');
    expect(await code(await h.request('/v1/submissions', { headers: h.otk(t.submitOtk), body: t.body }))).toBe('OTK_USED');
    expect(await code(await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers))).toBe('OTK_USED');
  });

  it('gives a fresh retrieve OTK to the sender only, and refuses another agent (NOT_SENDER)', async () => {
    const h = await harness();
    const t = await submitted(h);
    const bob = await h.session('bob');
    expect(await code(await retrieve(h, t.submissionId, t.retrieveOtk, bob.headers))).toBe('NOT_SENDER');
    expect(await code(await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: bob.headers }))).toBe(
      'NOT_SENDER',
    );
    // bob's attempt did not spend alice's key
    expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);
    const fresh = retrieveOtkResponseSchema.parse(
      await (await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers })).json(),
    );
    expect((await retrieve(h, t.submissionId, fresh.retrieveOtk, t.alice.headers)).status).toBe(200);
  });

  it('refuses an expired OTK (OTK_EXPIRED)', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    h.advance(61_000);
    const res = await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk) });
    expect(res.status).toBe(410);
    expect(await code(res)).toBe('OTK_EXPIRED');
  });

  it('refuses a key used for another action (OTK_WRONG_ACTION) and burns it', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const wrong = await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(opened.viewOtk) });
    expect(wrong.status).toBe(403);
    expect(await code(wrong)).toBe('OTK_WRONG_ACTION');
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk) }))).toBe('OTK_USED');
  });

  it('refuses a missing, malformed or unknown key', async () => {
    const h = await harness();
    expect(await code(await h.request('/v1/forms/view', { method: 'POST' }))).toBe('OTK_MISSING');
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: 'Bearer abc' } }))).toBe('OTK_MISSING');
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: h.otk('A'.repeat(43)) }))).toBe('OTK_INVALID');
  });

  it('refuses a submit OTK for another invitation (OTK_WRONG_BINDING)', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const res = await h.request('/v1/submissions', {
      headers: h.otk(view.submitOtk),
      body: { ...body, invitationId: '2b0f4a57-9f4e-4f7c-a0d5-6f2c3b8d9e10' },
    });
    expect(await code(res)).toBe('OTK_WRONG_BINDING');
  });

  it('trades the submit OTK for a fresh one, at most 10 times', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    let otk = view.submitOtk;
    for (let i = 1; i <= 10; i++) {
      h.advance(29 * 60_000);
      const res = await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(otk) });
      expect(res.status).toBe(200);
      const fresh = extendResponseSchema.parse(await res.json());
      expect(fresh.extensionsLeft).toBe(10 - i);
      expect(await code(await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(otk) }))).toBe('OTK_USED');
      otk = fresh.submitOtk;
    }
    expect(await code(await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(otk) }))).toBe('INVITATION_EXPIRED');
  });

  it('refuses retrieval after the conversation is closed', async () => {
    const h = await harness();
    const t = await submitted(h);
    expect((await h.request(`/v1/conversations/${t.visitor.id}/close`, { method: 'POST', headers: t.visitor.headers })).status).toBe(200);
    const res = await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    expect(res.status).toBe(409);
    expect(await code(res)).toBe('CONVERSATION_CLOSED');
    expect(
      await code(await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers })),
    ).toBe('CONVERSATION_CLOSED');
  });

  it('reports the off-the-record part expired after its TTL', async () => {
    const h = await harness();
    const t = await submitted(h);
    h.advance(5 * 60_000 + 1);
    const fresh = retrieveOtkResponseSchema.parse(
      await (await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers })).json(),
    );
    const got = retrieveResponseSchema.parse(await (await retrieve(h, t.submissionId, fresh.retrieveOtk, t.alice.headers)).json());
    expect(got.offTheRecordState).toBe('expired');
    expect(got.offTheRecord).toBeNull();
    expect(got.offTheRecordExpiresAt).toBeNull();
    expect(await openAnswers(got.onTheRecord!, t.keys.privateKey, t.binding('on-the-record'))).toEqual({
      cardNumber: CARD,
      billingPostcode: POSTCODE,
    });
  });

  it('lets exactly one of 200 concurrent redemptions of one OTK win', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const results = await Promise.all(
      Array.from({ length: 200 }, async () => h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk) })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((st) => st === 200)).toHaveLength(1);
    const codes = await Promise.all(results.filter((r) => r.status !== 200).map(code));
    expect(new Set(codes)).toEqual(new Set(['OTK_USED']));
  });

  it('accepts one submission per invitation and counts opens against the limit', async () => {
    const h = await harness();
    const s = await sent(h);
    for (let i = 0; i < 3; i++) await openForm(h, s.visitor, s.invitation.id);
    const fourth = await h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers });
    expect(await code(fourth)).toBe('OPEN_LIMIT_REACHED');

    const h2 = await harness();
    const t = await submitted(h2);
    const again = await h2.request(`/v1/invitations/${t.invitation.id}/open`, { method: 'POST', headers: t.visitor.headers });
    expect(await code(again)).toBe('ALREADY_SUBMITTED');
  });

  it('lets only the assigned agent with the permission send a form', async () => {
    const h = await harness();
    const keys = await generateInvitationKeyPair();
    const alice = await h.session('alice');
    const bob = await h.session('bob');
    const morgan = await h.session('morgan');
    const visitor = await h.startConversation();
    await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers });
    const body = { formId: 'card-payment', publicKey: keys.publicJwk };
    expect(await code(await h.request(`/v1/conversations/${visitor.id}/invitations`, { headers: bob.headers, body }))).toBe('NOT_ASSIGNED');
    expect(await code(await h.request(`/v1/conversations/${visitor.id}/invitations`, { headers: morgan.headers, body }))).toBe('FORBIDDEN');
    await h.request(`/v1/conversations/${visitor.id}/close`, { method: 'POST', headers: alice.headers });
    expect(await code(await h.request(`/v1/conversations/${visitor.id}/invitations`, { headers: alice.headers, body }))).toBe(
      'CONVERSATION_CLOSED',
    );
  });

  it('stores the on-the-record envelope wrapped, and the off-the-record one nowhere on disk', async () => {
    const h = await harness();
    const t = await submitted(h);
    const row = (await h.get('SELECT * FROM submissions WHERE id = ?', t.submissionId)) as Record<string, unknown>;
    expect(row.key_id).toBe('k1');
    const stored = Buffer.concat(Object.values(row).map((v) => (Buffer.isBuffer(v) ? v : Buffer.from(String(v))))).toString('latin1');
    const on = t.body.onTheRecord;
    const off = t.body.offTheRecord;
    for (const piece of [on.ciphertext, on.tag, on.protected, on.iv, off.ciphertext, off.tag, off.protected]) {
      expect(stored).not.toContain(piece);
    }
    // No table anywhere holds the off-the-record ciphertext, nor any OTK in clear.
    const tables = (await h.tables()).map((name) => ({ name }));
    const dumps: string[] = [];
    for (const tbl of tables) {
      dumps.push(
        JSON.stringify(await h.all(`SELECT * FROM "${tbl.name}"`), (_k, v) =>
          v?.type === 'Buffer' ? Buffer.from(v.data).toString('latin1') : v,
        ),
      );
    }
    const everything = dumps.join('\n');
    for (const secret of [off.ciphertext, on.ciphertext, t.submitOtk, t.opened.viewOtk, t.retrieveOtk, t.visitor.token, t.alice.token]) {
      expect(everything).not.toContain(secret);
    }
  });

  it('keeps OTKs, tokens, passwords and answers out of the audit log and the logger', async () => {
    const h = await harness();
    const t = await submitted(h);
    await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers); // a refusal
    await h.login('bob', 'not-the-password-1');
    const audit = h.audit.entries.map((e) => JSON.stringify(e)).join('\n');
    const logs = h.logLines.join('\n');
    const on = t.body.onTheRecord;
    for (const secret of [
      t.opened.viewOtk,
      t.submitOtk,
      t.retrieveOtk,
      t.visitor.token,
      t.alice.token,
      PASSWORD,
      'not-the-password-1',
      on.ciphertext,
    ]) {
      expect(audit).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    for (const secret of ['4111', CVV, POSTCODE]) {
      expect(typedText(audit)).not.toContain(secret);
      expect(typedText(logs)).not.toContain(secret);
    }
    const actions = h.audit.entries.map((e) => `${e.action}:${e.outcome}`);
    for (const a of [
      'login:success',
      'invitation.send:success',
      'invitation.open:success',
      'form.view:success',
      'submission.submit:success',
      'submission.retrieve:success',
      'submission.retrieve:refused',
      'login:refused',
    ]) {
      expect(actions).toContain(a);
    }
    const retrieved = h.audit.entries.find((e) => e.action === 'submission.retrieve' && e.outcome === 'success');
    expect(retrieved).toMatchObject({
      actor: `operator:${t.alice.operatorId}`,
      siteId: 'demo',
      submissionId: t.submissionId,
      invitationId: t.invitation.id,
    });
    const submittedEntry = h.audit.entries.find((e) => e.action === 'submission.submit' && e.outcome === 'success');
    expect(submittedEntry?.actor).toBe(`visitor:${t.visitor.id}`);
    expect(h.audit.entries.find((e) => e.outcome === 'refused' && e.action === 'submission.retrieve')?.reason).toBe('OTK_USED');
  });
});
