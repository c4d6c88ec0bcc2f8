/**
 * The brand chat server's API: register a conversation by the brand's id (idempotent, also when
 * 50 registrations race), hand its token to the chat page, assign, transfer and close by the
 * brand's agent ids, list invitation states; the sender-only rules hold when the brand assigns.
 */
import {
  generateInvitationKeyPair,
  integrationConversationSchema,
  integrationInvitationListResponseSchema,
  invitationViewSchema,
  submitResponseSchema,
} from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { code, openForm, retrieve, seal, viewForm } from './test/flows.js';
import { harness, readEvent } from './test/harness.js';
import { createCredential, register } from './test/integration.js';

type H = Awaited<ReturnType<typeof harness>>;

async function act(h: H, headers: Record<string, string>, cid: string, action: 'assign' | 'transfer', agentId: string) {
  return h.request(`/v1/integration/conversations/${cid}/${action}`, { headers, body: { agentId } });
}

/** The brand registers a conversation and assigns it to alice, who sends the card form. */
async function assignedAndSent(h: H) {
  const server = await createCredential(h);
  const conversation = await register(h, server.headers, 'brand-42');
  expect((await act(h, server.headers, conversation.id, 'assign', 'brand-agent-alice')).status).toBe(200);
  const alice = await h.session('alice');
  const keys = await generateInvitationKeyPair();
  const res = await h.request(`/v1/conversations/${conversation.id}/invitations`, {
    headers: alice.headers,
    body: { formId: 'card-payment', publicKey: keys.publicJwk },
  });
  expect(res.status).toBe(201);
  return { server, conversation, alice, keys, invitation: invitationViewSchema.parse(await res.json()) };
}

describe("the brand chat server's API", () => {
  it('registers a conversation and returns the visitor token the chat page uses; again, the same conversation and token', async () => {
    const h = await harness();
    const server = await createCredential(h);
    const first = await register(h, server.headers, 'brand-42', 'Vera');
    expect(first).toMatchObject({ status: 201, externalId: 'brand-42', state: 'waiting', agentId: null });
    // The token is the visitor's credential, as for a conversation the demo chat starts.
    const messages = await h.request(`/v1/conversations/${first.id}/messages`, { headers: first.visitorHeaders, body: { text: 'hi' } });
    expect(messages.status).toBe(201);
    const again = await register(h, server.headers, 'brand-42', 'Vera');
    expect(again).toMatchObject({ status: 200, conversationId: first.conversationId, conversationToken: first.conversationToken });
    expect(await h.all('SELECT id FROM conversations')).toHaveLength(1);
    // The token is stored sealed, never in clear.
    for (const table of await h.tables()) {
      expect(JSON.stringify(await h.all(`SELECT * FROM ${table}`)), table).not.toContain(first.conversationToken);
    }
  });

  it('refuses an external id that is not printable text', async () => {
    const h = await harness();
    const server = await createCredential(h);
    for (const externalId of ['', 'has space', 'x'.repeat(201), 'line\nbreak']) {
      const res = await h.request('/v1/integration/conversations', { headers: server.headers, body: { externalId } });
      expect(await code(res), JSON.stringify(externalId)).toBe('VALIDATION_FAILED');
    }
  });

  it('makes one conversation of 50 concurrent registrations of one external id', async () => {
    const h = await harness();
    const server = await createCredential(h);
    const results = await Promise.all(
      Array.from({ length: 50 }, async () =>
        h.request('/v1/integration/conversations', { headers: server.headers, body: { externalId: 'race' } }),
      ),
    );
    const bodies = (await Promise.all(results.map((r) => r.json()))) as { conversationId: string; conversationToken: string }[];
    // One registration made it; the 49 others found it (and nothing was refused).
    expect(
      results.filter((r) => r.status === 201),
      JSON.stringify(bodies.find((b) => !b.conversationId)),
    ).toHaveLength(1);
    expect(results.filter((r) => r.status === 200)).toHaveLength(49);
    expect(new Set(bodies.map((b) => b.conversationId)).size).toBe(1);
    expect(new Set(bodies.map((b) => b.conversationToken)).size).toBe(1);
    expect(await h.all('SELECT id FROM conversations')).toHaveLength(1);
    expect(await h.all('SELECT * FROM external_conversations')).toHaveLength(1);
  });

  it('assigns by the brand agent id: the queue hears it, and the agent is told by the brand id', async () => {
    const h = await harness();
    const server = await createCredential(h);
    const conversation = await register(h, server.headers);
    const alice = await h.session('alice');
    const events = await h.request('/v1/agent/events', { headers: alice.headers });
    const res = await act(h, server.headers, conversation.id, 'assign', 'brand-agent-alice');
    expect(res.status).toBe(200);
    expect(integrationConversationSchema.parse(await res.json())).toMatchObject({ state: 'active', agentId: 'brand-agent-alice' });
    const heard = await readEvent(events, (e) => ((e as { type: string }).type === 'conversation' ? e : undefined));
    expect(heard).toMatchObject({ conversation: { id: conversation.id, state: 'active', assignedAgentId: alice.operatorId } });
    // Again to alice: no change; to bob while alice has it: refused (transfer is the way).
    expect((await act(h, server.headers, conversation.id, 'assign', 'brand-agent-alice')).status).toBe(200);
    expect(await code(await act(h, server.headers, conversation.id, 'assign', 'brand-agent-bob'))).toBe('NOT_ASSIGNED');
    expect(h.audit.entries.filter((e) => e.action === 'integration.assign').map((e) => e.reason ?? 'ok')).toEqual([
      'ok',
      'ok',
      'NOT_ASSIGNED',
    ]);
  });

  it('refuses an unknown brand agent id, a non-agent, and says which field', async () => {
    const h = await harness({
      site: (s) => ({ ...s, operators: s.operators.map((o) => (o.username === 'max' ? { ...o, externalId: 'brand-manager' } : o)) }),
    });
    const server = await createCredential(h);
    const conversation = await register(h, server.headers);
    for (const agentId of ['nobody', 'brand-manager']) {
      const res = await act(h, server.headers, conversation.id, 'assign', agentId);
      expect(res.status, agentId).toBe(400);
      expect(((await res.json()) as { error: { fields: unknown } }).error.fields).toEqual([{ path: 'agentId', reason: 'unknown_agent' }]);
    }
  });

  it('keeps the sender-only rule: only the assigned, sending agent retrieves', async () => {
    const h = await harness();
    const t = await assignedAndSent(h);
    const events = await h.request('/v1/agent/events', { headers: t.alice.headers });
    const opened = await openForm(h, { headers: t.conversation.visitorHeaders }, t.invitation.id);
    const view = await viewForm(h, opened.viewOtk);
    const { body } = await seal(view);
    const res = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body });
    expect(res.status).toBe(201);
    const { submissionId } = submitResponseSchema.parse(await res.json());
    const event = await readEvent(events, (e) =>
      (e as { type: string }).type === 'submission' ? (e as { retrieveOtk: string }) : undefined,
    );
    // bob (not the sender) cannot use alice's key; alice can.
    const bob = await h.session('bob');
    expect(await code(await retrieve(h, submissionId, event.retrieveOtk, bob.headers))).toBe('NOT_SENDER');
    const got = await h.request(`/v1/submissions/${submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers });
    expect(got.status).toBe(200);
    const { retrieveOtk } = (await got.json()) as { retrieveOtk: string };
    expect((await retrieve(h, submissionId, retrieveOtk, t.alice.headers)).status).toBe(200);
    const list = integrationInvitationListResponseSchema.parse(
      await (await h.request(`/v1/integration/conversations/${t.conversation.id}/invitations`, { headers: t.server.headers })).json(),
    );
    expect(list.invitations).toMatchObject([
      { id: t.invitation.id, state: 'viewed', agentId: 'brand-agent-alice', formId: 'card-payment' },
    ]);
  });

  it('transfers by the brand agent id: the previous agent loses access and its open forms are cancelled', async () => {
    const h = await harness();
    const t = await assignedAndSent(h);
    const res = await act(h, t.server.headers, t.conversation.id, 'transfer', 'brand-agent-bob');
    expect(res.status).toBe(200);
    expect(integrationConversationSchema.parse(await res.json())).toMatchObject({ state: 'active', agentId: 'brand-agent-bob' });
    const pending = await h.request(`/v1/invitations/${t.invitation.id}`, { headers: t.alice.headers });
    expect(invitationViewSchema.parse(await pending.json()).state).toBe('cancelled');
    expect(
      await code(
        await h.request(`/v1/conversations/${t.conversation.id}/invitations`, {
          headers: t.alice.headers,
          body: { formId: 'card-payment', publicKey: t.keys.publicJwk },
        }),
      ),
    ).toBe('NOT_ASSIGNED');
    const bob = await h.session('bob');
    expect(
      (
        await h.request(`/v1/conversations/${t.conversation.id}/invitations`, {
          headers: bob.headers,
          body: { formId: 'card-payment', publicKey: t.keys.publicJwk },
        })
      ).status,
    ).toBe(201);
    const list = integrationInvitationListResponseSchema.parse(
      await (await h.request(`/v1/integration/conversations/${t.conversation.id}/invitations`, { headers: t.server.headers })).json(),
    );
    expect(list.invitations.map((i) => [i.state, i.agentId])).toEqual([
      ['cancelled', 'brand-agent-alice'],
      ['sent', 'brand-agent-bob'],
    ]);
  });

  it('transfer drops access to a submitted response: the previous sender can no longer retrieve it', async () => {
    const h = await harness();
    const t = await assignedAndSent(h);
    const opened = await openForm(h, { headers: t.conversation.visitorHeaders }, t.invitation.id);
    const view = await viewForm(h, opened.viewOtk);
    const { body } = await seal(view);
    const { submissionId } = submitResponseSchema.parse(
      await (await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body })).json(),
    );
    expect((await act(h, t.server.headers, t.conversation.id, 'transfer', 'brand-agent-bob')).status).toBe(200);
    expect(await code(await h.request(`/v1/submissions/${submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers }))).toBe(
      'NOT_ASSIGNED',
    );
  });

  it('closes: the visitor can post no more, and a closed conversation cannot be transferred', async () => {
    const h = await harness();
    const server = await createCredential(h);
    const conversation = await register(h, server.headers);
    const res = await h.request(`/v1/integration/conversations/${conversation.id}/close`, { method: 'POST', headers: server.headers });
    expect(integrationConversationSchema.parse(await res.json()).state).toBe('closed');
    expect(
      await code(
        await h.request(`/v1/conversations/${conversation.id}/messages`, { headers: conversation.visitorHeaders, body: { text: 'x' } }),
      ),
    ).toBe('CONVERSATION_CLOSED');
    expect(await code(await act(h, server.headers, conversation.id, 'transfer', 'brand-agent-bob'))).toBe('CONVERSATION_CLOSED');
    expect(h.audit.entries.find((e) => e.action === 'integration.close')).toMatchObject({
      outcome: 'success',
      conversationId: conversation.id,
    });
  });

  it('forgets an external id once the transcript purge deleted its conversation: registering it again starts afresh', async () => {
    const h = await harness();
    const server = await createCredential(h);
    const first = await register(h, server.headers, 'brand-old');
    await h.request(`/v1/integration/conversations/${first.id}/close`, { method: 'POST', headers: server.headers });
    h.advance(91 * 24 * 3600_000);
    expect((await h.app.purge()).transcripts).toBe(1);
    expect(await h.all('SELECT * FROM external_conversations')).toEqual([]);
    const again = await register(h, server.headers, 'brand-old');
    expect(again.status).toBe(201);
    expect(again.conversationId).not.toBe(first.conversationId);
  });
});
