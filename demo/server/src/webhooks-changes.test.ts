/**
 * Webhooks of conversation changes (assigned, transferred, closed) and the change detection of
 * every webhook: an action that changes nothing sends nothing, and of any number of identical
 * actions at once (assigns, closes, retrieves that view a response), one makes the change and
 * sends its event. Run on both backends (the project backend-on-postgres-redis runs it again).
 */
import {
  conversationWebhookEventSchema,
  invitationWebhookEventSchema,
  retrieveOtkResponseSchema,
  webhookEndpointWithSecretSchema,
  type WebhookEventType,
} from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { retrieve, submitted } from './test/flows.js';
import { harness } from './test/harness.js';
import { createCredential, register } from './test/integration.js';
import { webhookReceiver } from './test/webhook-receiver.js';

type H = Awaited<ReturnType<typeof harness>>;

const N = 50;

/** A harness whose webhooks may go to the test receiver on this machine. */
const local = () => harness({ webhooks: { allowPrivateTargets: true, jitter: () => 0.5, timeoutMs: 200 } });

/** A credential, an endpoint for `events` (by default all) and a registered conversation. */
async function setUp(h: H, events?: WebhookEventType[]) {
  const receiver = await webhookReceiver();
  const server = await createCredential(h);
  const res = await h.request('/v1/integration/webhooks', {
    headers: server.headers,
    body: { url: receiver.url, ...(events ? { events } : {}) },
  });
  expect(res.status).toBe(201);
  const hook = webhookEndpointWithSecretSchema.parse(await res.json());
  const conversation = await register(h, server.headers, 'brand-conv-7');
  return { receiver, server, hook, conversation };
}

const act = async (h: H, headers: Record<string, string>, cid: string, action: 'assign' | 'transfer' | 'close', agentId?: string) =>
  h.request(`/v1/integration/conversations/${cid}/${action}`, {
    method: 'POST',
    headers,
    ...(agentId === undefined ? {} : { body: { agentId } }),
  });

/** The queued deliveries' event types, sorted (the test's clock stands still: they share a time). */
const eventTypes = async (h: H) =>
  ((await h.all('SELECT event_type FROM webhook_deliveries')) as { event_type: string }[]).map((d) => d.event_type).sort();

const systemLines = async (h: H, cid: string) =>
  (
    (await h.all(`SELECT text FROM messages WHERE conversation_id = ? AND from_role = 'system' ORDER BY seq`, cid)) as { text: string }[]
  ).map((m) => m.text);

async function drain(h: H) {
  while ((await h.app.sendWebhooks()) > 0);
}

describe('conversation webhooks', { timeout: 60_000 }, () => {
  it('sends conversation.assigned, .transferred and .closed with the agents by the brand ids; a repeated action sends nothing', async () => {
    const h = await local();
    const { receiver, server, conversation } = await setUp(h);
    const cid = conversation.id;
    expect((await act(h, server.headers, cid, 'assign', 'brand-agent-alice')).status).toBe(200);
    expect((await act(h, server.headers, cid, 'assign', 'brand-agent-alice')).status).toBe(200);
    expect((await act(h, server.headers, cid, 'transfer', 'brand-agent-bob')).status).toBe(200);
    expect((await act(h, server.headers, cid, 'transfer', 'brand-agent-bob')).status).toBe(200);
    expect((await act(h, server.headers, cid, 'close')).status).toBe(200);
    expect((await act(h, server.headers, cid, 'close')).status).toBe(200);
    expect(await eventTypes(h)).toEqual(['conversation.assigned', 'conversation.closed', 'conversation.transferred']);
    // The transcript too says each change once.
    expect(await systemLines(h, cid)).toEqual(['Alice Agent joined the chat.', 'Bob Agent took over the chat.']);
    await drain(h);
    const events = receiver.received.map((r) => conversationWebhookEventSchema.parse(JSON.parse(r.body)));
    const byType = Object.fromEntries(events.map((e) => [e.type, e]));
    expect(byType['conversation.assigned']?.data).toEqual({
      conversationId: cid,
      state: 'active',
      agentId: 'brand-agent-alice',
      at: expect.any(String),
    });
    expect(byType['conversation.transferred']?.data).toEqual({
      conversationId: cid,
      state: 'active',
      agentId: 'brand-agent-bob',
      previousAgentId: 'brand-agent-alice',
      at: expect.any(String),
    });
    expect(byType['conversation.closed']?.data).toEqual({
      conversationId: cid,
      state: 'closed',
      agentId: 'brand-agent-bob',
      at: expect.any(String),
    });
    // Ids, states and times: never the visitor's token or name.
    for (const r of receiver.received) {
      expect(r.body).not.toContain(conversation.conversationToken);
      expect(r.body).not.toContain('Vera');
    }
  });

  it('are sent for the demo queue and an operator transfer too, and only to endpoints that take them', async () => {
    const h = await local();
    const { server } = await setUp(h, ['conversation.closed']);
    void server;
    const visitor = await h.startConversation();
    const alice = await h.session('alice');
    const bob = await h.session('bob');
    expect((await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers })).status).toBe(200);
    const transfer = await h.request(`/v1/conversations/${visitor.id}/transfer`, {
      headers: alice.headers,
      body: { agentId: bob.operatorId },
    });
    expect(transfer.status).toBe(200);
    expect((await h.request(`/v1/conversations/${visitor.id}/close`, { method: 'POST', headers: bob.headers })).status).toBe(200);
    expect(await eventTypes(h)).toEqual(['conversation.closed']);
  });

  it('stores a conversation change and its deliveries together or not at all', async () => {
    const h = await local();
    const { server, conversation } = await setUp(h);
    await h.all('ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_away');
    expect((await act(h, server.headers, conversation.id, 'assign', 'brand-agent-alice')).status).toBeGreaterThanOrEqual(500);
    await h.all('ALTER TABLE webhook_deliveries_away RENAME TO webhook_deliveries');
    expect(await h.all('SELECT state, assigned_agent_id FROM conversations WHERE id = ?', conversation.id)).toEqual([
      { state: 'waiting', assigned_agent_id: null },
    ]);
    expect(await eventTypes(h)).toEqual([]);
    // The same change again once the outbox is back: made, with its event.
    expect((await act(h, server.headers, conversation.id, 'assign', 'brand-agent-alice')).status).toBe(200);
    expect(await eventTypes(h)).toEqual(['conversation.assigned']);
  });

  it(`makes one change and one event of ${N} concurrent identical assigns, and of ${N} concurrent closes`, async () => {
    const h = await local();
    const { server, conversation } = await setUp(h);
    const cid = conversation.id;
    const assigns = await Promise.all(Array.from({ length: N }, () => act(h, server.headers, cid, 'assign', 'brand-agent-alice')));
    expect(assigns.map((r) => r.status)).toEqual(Array.from({ length: N }, () => 200));
    expect(await eventTypes(h)).toEqual(['conversation.assigned']);
    expect(await systemLines(h, cid)).toEqual(['Alice Agent joined the chat.']);
    const closes = await Promise.all(Array.from({ length: N }, () => act(h, server.headers, cid, 'close')));
    expect(closes.map((r) => r.status)).toEqual(Array.from({ length: N }, () => 200));
    expect(await eventTypes(h)).toEqual(['conversation.assigned', 'conversation.closed']);
  });

  it(`makes one assignment of ${N} concurrent assigns to different agents: one wins, the others are told to transfer`, async () => {
    const h = await local();
    const { server, conversation } = await setUp(h);
    const agents = ['brand-agent-alice', 'brand-agent-bob'];
    const results = await Promise.all(
      Array.from({ length: N }, (_, i) => act(h, server.headers, conversation.id, 'assign', agents[i % 2] ?? '')),
    );
    const ok = results.filter((r) => r.status === 200).length;
    expect(ok + results.filter((r) => r.status === 403).length).toBe(N);
    expect(await eventTypes(h)).toEqual(['conversation.assigned']);
  });
});

describe('invitation webhooks under concurrency', { timeout: 60_000 }, () => {
  it(`sends invitation.viewed once, and writes one "viewed" status line, when ${N} retrieves race`, async () => {
    const h = await local();
    await setUp(h, ['invitation.viewed']);
    const s = await submitted(h);
    const otks = [s.retrieveOtk];
    for (let i = 1; i < N; i++) {
      const res = await h.request(`/v1/submissions/${s.submissionId}/retrieve-otk`, { method: 'POST', headers: s.alice.headers });
      expect(res.status).toBe(200);
      otks.push(retrieveOtkResponseSchema.parse(await res.json()).retrieveOtk);
    }
    const results = await Promise.all(otks.map(async (otk) => retrieve(h, s.submissionId, otk, s.alice.headers)));
    expect(results.map((r) => r.status)).toEqual(Array.from({ length: N }, () => 200));
    expect(await eventTypes(h)).toEqual(['invitation.viewed']);
    // The transcript has one "viewed" status line too: it comes from the same move of the state.
    const statusLines = (await h.all(
      `SELECT state FROM messages WHERE conversation_id = ? AND kind = 'invitation-status'`,
      s.visitor.id,
    )) as {
      state: string;
    }[];
    expect(statusLines.filter((m) => m.state === 'viewed')).toHaveLength(1);
    await drain(h);
    // The receiver checks the body as the helper's schema reads it.
    const [only] = (await h.all('SELECT payload FROM webhook_deliveries')) as { payload: string }[];
    expect(invitationWebhookEventSchema.parse(JSON.parse(only!.payload)).data.invitationId).toBe(s.invitation.id);
  });
});
