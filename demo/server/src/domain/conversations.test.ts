/** Conversations: join (watch) without assignment, transfer, close; the transcript holds no value. */
import { conversationSchema, invitationViewSchema, messageListResponseSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { collectStream, readEvent } from '../test/harness.js';
import { harness } from '../test/harness.js';
import { CARD, code, CVV, POSTCODE, retrieve, sent, submitted, typedText } from '../test/flows.js';

describe('conversations', () => {
  it('lets a second agent join (watch) an assigned conversation without being assigned, and hear it', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const bob = await h.session('bob');
    const visitor = await h.startConversation();
    await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers });
    expect(await code(await h.request(`/v1/conversations/${visitor.id}/messages`, { headers: bob.headers }))).toBe('NOT_ASSIGNED');
    const joined = await h.request(`/v1/conversations/${visitor.id}/join`, { method: 'POST', headers: bob.headers });
    expect(joined.status).toBe(200);
    expect(conversationSchema.parse(await joined.json()).assignedAgentId).toBe(alice.operatorId);
    expect((await h.request(`/v1/conversations/${visitor.id}/messages`, { headers: bob.headers })).status).toBe(200);
    const events = await h.request('/v1/agent/events', { headers: bob.headers });
    await h.request(`/v1/conversations/${visitor.id}/messages`, { headers: visitor.headers, body: { text: 'hello' } });
    const heard = await readEvent(events, (e) => ((e as { type: string }).type === 'message' ? e : undefined));
    expect(heard).toMatchObject({ conversationId: visitor.id, message: { kind: 'text', text: 'hello' } });
    // Watching is not being assigned: bob may not post or send a form.
    expect(await code(await h.request(`/v1/conversations/${visitor.id}/messages`, { headers: bob.headers, body: { text: 'x' } }))).toBe(
      'NOT_ASSIGNED',
    );
    expect(h.audit.entries.some((e) => e.action === 'conversation.join' && e.outcome === 'success')).toBe(true);
  });

  it('transfers to another agent: the new agent sends forms, the old one no longer can, and reads nothing', async () => {
    const h = await harness();
    const t = await submitted(h);
    const bob = await h.session('bob');
    const pending = await h.request(`/v1/conversations/${t.visitor.id}/invitations`, {
      headers: t.alice.headers,
      body: { formId: 'card-payment', publicKey: t.keys.publicJwk },
    });
    const pendingId = invitationViewSchema.parse(await pending.json()).id;
    const res = await h.request(`/v1/conversations/${t.visitor.id}/transfer`, {
      headers: t.alice.headers,
      body: { agentId: bob.operatorId },
    });
    expect(res.status).toBe(200);
    expect(conversationSchema.parse(await res.json()).assignedAgentId).toBe(bob.operatorId);
    // alice's unanswered form is cancelled; her answered one is no longer readable by her
    const pendingNow = await h.request(`/v1/invitations/${pendingId}`, { headers: t.alice.headers });
    expect(invitationViewSchema.parse(await pendingNow.json()).state).toBe('cancelled');
    const otk = await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers });
    expect(await code(otk)).toBe('NOT_ASSIGNED');
    expect(await code(await retrieve(h, t.submissionId, t.retrieveOtk, bob.headers))).toBe('NOT_SENDER');
    const keys = t.keys.publicJwk;
    expect(
      (
        await h.request(`/v1/conversations/${t.visitor.id}/invitations`, {
          headers: bob.headers,
          body: { formId: 'card-payment', publicKey: keys },
        })
      ).status,
    ).toBe(201);
    expect(
      await code(
        await h.request(`/v1/conversations/${t.visitor.id}/invitations`, {
          headers: t.alice.headers,
          body: { formId: 'card-payment', publicKey: keys },
        }),
      ),
    ).toBe('NOT_ASSIGNED');
    expect(h.audit.entries.find((e) => e.action === 'conversation.transfer')).toMatchObject({
      outcome: 'success',
      targetOperatorId: bob.operatorId,
      siteId: 'demo',
    });
  });

  it('refuses a transfer by a non-assigned agent, to a non-agent, or of a closed conversation', async () => {
    const h = await harness();
    const s = await sent(h);
    const bob = await h.session('bob');
    const morgan = await h.session('morgan');
    expect(
      await code(
        await h.request(`/v1/conversations/${s.visitor.id}/transfer`, { headers: bob.headers, body: { agentId: bob.operatorId } }),
      ),
    ).toBe('NOT_ASSIGNED');
    expect(
      await code(
        await h.request(`/v1/conversations/${s.visitor.id}/transfer`, { headers: s.alice.headers, body: { agentId: morgan.operatorId } }),
      ),
    ).toBe('VALIDATION_FAILED');
    // a manager may move it
    expect(
      (await h.request(`/v1/conversations/${s.visitor.id}/transfer`, { headers: morgan.headers, body: { agentId: bob.operatorId } }))
        .status,
    ).toBe(200);
    await h.request(`/v1/conversations/${s.visitor.id}/close`, { method: 'POST', headers: s.visitor.headers });
    expect(
      await code(
        await h.request(`/v1/conversations/${s.visitor.id}/transfer`, { headers: morgan.headers, body: { agentId: s.alice.operatorId } }),
      ),
    ).toBe('CONVERSATION_CLOSED');
    expect(h.audit.entries.filter((e) => e.action === 'conversation.transfer').map((e) => e.reason ?? 'ok')).toEqual([
      'NOT_ASSIGNED',
      'VALIDATION_FAILED',
      'ok',
      'CONVERSATION_CLOSED',
    ]);
  });

  it('keeps the transcript to messages and status lines: never a value', async () => {
    const h = await harness();
    const t = await submitted(h);
    await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    const list = messageListResponseSchema.parse(
      await (await h.request(`/v1/conversations/${t.visitor.id}/messages`, { headers: t.visitor.headers })).json(),
    );
    expect(list.messages.filter((m) => m.kind === 'invitation-status').map((m) => (m.kind === 'invitation-status' ? m.state : ''))).toEqual(
      ['opened', 'submitted', 'viewed'],
    );
    const dump = JSON.stringify(list) + JSON.stringify(await h.all('SELECT * FROM messages'));
    for (const secret of [CARD, CVV, POSTCODE, '1111 1111']) expect(typedText(dump)).not.toContain(secret);
    for (const secret of [t.retrieveOtk, t.opened.viewOtk]) expect(dump).not.toContain(secret);
  });

  it("tells a message to the visitor's stream and to the agents' streams as one event-log entry: the same event id on both", async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const visitor = await h.startConversation();
    await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers });
    const agentStream = await h.request('/v1/agent/events', { headers: alice.headers });
    const visitorStream = await h.request(`/v1/conversations/${visitor.id}/events`, { headers: visitor.headers });
    await h.request(`/v1/conversations/${visitor.id}/messages`, { headers: visitor.headers, body: { text: 'hello' } });
    const [agentText, visitorText] = await Promise.all([collectStream(agentStream, 400), collectStream(visitorStream, 400)]);
    /** The SSE id of the `message` event carrying "hello". */
    const idOfHello = (text: string) =>
      text
        .split('\n\n')
        .find((block) => block.includes('"hello"'))
        ?.split('\n')
        .find((line) => line.startsWith('id:'))
        ?.slice(3)
        .trim();
    expect(idOfHello(agentText)).toMatch(/\S/);
    expect(idOfHello(visitorText)).toBe(idOfHello(agentText));
  });
});
