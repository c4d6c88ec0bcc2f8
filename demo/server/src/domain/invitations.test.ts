/** Invitations: cancel, expiry, states with times visible to the sender. */
import { invitationViewSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness, readEvent } from '../test/harness.js';
import { code, openForm, retrieve, seal, sent, viewForm } from '../test/flows.js';

describe('invitation states', () => {
  it('shows the sender each state it went through with its time', async () => {
    const h = await harness();
    const s = await sent(h);
    const t0 = h.now();
    h.advance(1_000);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    h.advance(1_000);
    const view = await viewForm(h, opened.viewOtk);
    const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
    const { body } = await seal(view);
    const submitted = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body });
    const { submissionId } = (await submitted.json()) as { submissionId: string };
    const event = await readEvent(events, (e) =>
      (e as { type: string }).type === 'submission' ? (e as { retrieveOtk: string }) : undefined,
    );
    h.advance(1_000);
    expect((await retrieve(h, submissionId, event.retrieveOtk, s.alice.headers)).status).toBe(200);
    const res = await h.request(`/v1/invitations/${s.invitation.id}`, { headers: s.alice.headers });
    const inv = invitationViewSchema.parse(await res.json());
    expect(inv.state).toBe('viewed');
    expect(inv.stateTimes).toEqual({
      sent: new Date(t0).toISOString(),
      opened: new Date(t0 + 1_000).toISOString(),
      submitted: new Date(t0 + 2_000).toISOString(),
      viewed: new Date(t0 + 3_000).toISOString(),
    });
  });
});

describe('cancelling an invitation', () => {
  it('lets the sender cancel: state cancelled with its time, its OTKs stop working, the visitor and sender are told', async () => {
    const h = await harness();
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const view = await viewForm(h, opened.viewOtk);
    const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
    h.advance(5_000);
    const res = await h.request(`/v1/invitations/${s.invitation.id}/cancel`, { method: 'POST', headers: s.alice.headers });
    expect(res.status).toBe(200);
    const cancelled = invitationViewSchema.parse(await res.json());
    expect(cancelled.state).toBe('cancelled');
    expect(Date.parse(cancelled.updatedAt)).toBe(h.now());
    const event = await readEvent(events, (e) =>
      (e as { type: string }).type === 'invitation' ? (e as { invitation: { state: string } }) : undefined,
    );
    expect(event.invitation.state).toBe('cancelled');
    const { body } = await seal(view);
    expect(await code(await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body }))).toBe('INVITATION_CANCELLED');
    expect(await code(await h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers }))).toBe(
      'INVITATION_CANCELLED',
    );
    const messages = (await (await h.request(`/v1/conversations/${s.visitor.id}/messages`, { headers: s.visitor.headers })).json()) as {
      messages: { kind: string; state?: string }[];
    };
    expect(messages.messages.some((m) => m.kind === 'invitation-status' && m.state === 'cancelled')).toBe(true);
    expect(await code(await h.request(`/v1/invitations/${s.invitation.id}/cancel`, { method: 'POST', headers: s.alice.headers }))).toBe(
      'INVITATION_CANCELLED',
    );
    expect(h.audit.entries.filter((e) => e.action === 'invitation.cancel').map((e) => e.reason ?? e.outcome)).toEqual([
      'success',
      'INVITATION_CANCELLED',
    ]);
  });

  it('refuses a cancel by anyone but the sender, and after a submission', async () => {
    const h = await harness();
    const s = await sent(h);
    const bob = await h.session('bob');
    expect(await code(await h.request(`/v1/invitations/${s.invitation.id}/cancel`, { method: 'POST', headers: bob.headers }))).toBe(
      'NOT_SENDER',
    );
    expect(await code(await h.request(`/v1/invitations/${s.invitation.id}/cancel`, { method: 'POST', headers: s.visitor.headers }))).toBe(
      'UNAUTHENTICATED',
    );
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const view = await viewForm(h, opened.viewOtk);
    const { body } = await seal(view);
    expect((await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body })).status).toBe(201);
    expect(await code(await h.request(`/v1/invitations/${s.invitation.id}/cancel`, { method: 'POST', headers: s.alice.headers }))).toBe(
      'ALREADY_SUBMITTED',
    );
  });
});

describe('invitation expiry', () => {
  it('expires an invitation after the site invitation TTL, and tells the sender', async () => {
    const h = await harness({ site: (site) => ({ ...site, invitationTtlSeconds: 3600 }) });
    const s = await sent(h);
    const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
    h.advance(3600_000);
    const purged = await h.app.purge();
    expect(purged.invitationsExpired).toBe(1);
    const event = await readEvent(events, (e) =>
      (e as { type: string }).type === 'invitation' ? (e as { invitation: { state: string } }) : undefined,
    );
    expect(event.invitation.state).toBe('expired');
    expect(await code(await h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers }))).toBe(
      'INVITATION_EXPIRED',
    );
    expect(h.audit.entries.some((e) => e.action === 'invitation.expire' && e.invitationId === s.invitation.id)).toBe(true);
  });

  it('tells the visitor with each open how many opens are left', async () => {
    const h = await harness();
    const s = await sent(h);
    expect((await openForm(h, s.visitor, s.invitation.id)).opensLeft).toBe(2);
    expect((await openForm(h, s.visitor, s.invitation.id)).opensLeft).toBe(1);
    expect((await openForm(h, s.visitor, s.invitation.id)).opensLeft).toBe(0);
  });

  it('expires an invitation once every open is used and the last submit window is over', async () => {
    const h = await harness();
    const s = await sent(h);
    let lastSubmitOtk = '';
    for (let i = 0; i < s.invitation.openLimit; i++) {
      const opened = await openForm(h, s.visitor, s.invitation.id);
      lastSubmitOtk = (await viewForm(h, opened.viewOtk)).submitOtk;
    }
    h.advance(29 * 60_000);
    const alice = await h.session('alice'); // the first session went idle meanwhile
    const before = invitationViewSchema.parse(
      await (await h.request(`/v1/invitations/${s.invitation.id}`, { headers: alice.headers })).json(),
    );
    expect(before.state).toBe('opened');
    h.advance(60_000 + 1);
    const after = invitationViewSchema.parse(
      await (await h.request(`/v1/invitations/${s.invitation.id}`, { headers: alice.headers })).json(),
    );
    expect(after.state).toBe('expired');
    expect(await code(await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(lastSubmitOtk) }))).toBe('OTK_EXPIRED');
  });

  it('does not expire an invitation that still has opens left before its TTL', async () => {
    const h = await harness();
    const s = await sent(h);
    await openForm(h, s.visitor, s.invitation.id);
    h.advance(2 * 3600_000);
    expect((await h.app.purge()).invitationsExpired).toBe(0);
    expect((await h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers })).status).toBe(200);
  });
});
