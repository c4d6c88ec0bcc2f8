import {
  CONVERSATION_PAGE_DEFAULT,
  CONVERSATION_PAGE_MAX,
  conversationListQuerySchema,
  postMessageRequestSchema,
  startConversationRequestSchema,
  transferRequestSchema,
} from '@secure-forms/shared';
import type { Hono } from 'hono';
import { hasSession, requireSession, requireVisitor } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import { auditAs, note, type AppEnv } from '../http/context.js';
import { visitorActor } from '../audit/actors.js';
import { Refusal } from '../domain/refusal.js';
import { readBody, readQuery } from '../http/validation.js';
import { requireSiteOrigin } from '../middleware/cors/index.js';
import type { QueuePosition } from '../storage/types.js';
import type { Services } from '../domain/services.js';
import { conversationView, messageView } from '../domain/views.js';

const STATES = new Set(['waiting', 'active', 'closed']);

/** The queue position as an opaque cursor (base64url JSON): clients pass it back unchanged. */
function encodeCursor(p: QueuePosition): string {
  return Buffer.from(JSON.stringify([p.state, p.createdAt, p.id])).toString('base64url');
}

function decodeCursor(cursor: string): QueuePosition {
  try {
    const [state, createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof state === 'string' && STATES.has(state) && Number.isSafeInteger(createdAt) && typeof id === 'string' && id.length <= 64) {
      return { state: state as QueuePosition['state'], createdAt: createdAt as number, id };
    }
  } catch {
    // falls through to the refusal
  }
  throw new Refusal('VALIDATION_FAILED', 'The cursor is not one this list gave out. Ask for the first page again.', [
    { path: 'cursor', reason: 'invalid_cursor' },
  ]);
}

/** The conversation routes: start, the queue, assign, join, transfer, history, close, messages. */
export function conversationRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/conversations', async (c) => {
    auditAs(c, 'conversation.start');
    const body = await readBody(c, startConversationRequestSchema);
    note(c, { siteId: body.siteId });
    // A brand origin acts only for its own site: refuse before anything is counted or stored.
    requireSiteOrigin(c, body.siteId);
    const { conversation, token } = await s.conversations.start(body.siteId, body.visitorName, clientAddress(c));
    note(c, { actor: visitorActor(conversation.id), conversationId: conversation.id });
    return c.json({ conversationId: conversation.id, conversationToken: token }, 201);
  });

  api.get('/conversations', async (c) => {
    const { operator } = await requireSession(c, s);
    const query = readQuery(
      c,
      conversationListQuerySchema,
      `The list query is not valid: limit is a whole number from 1 to ${CONVERSATION_PAGE_MAX}, and cursor is the next value of a previous page.`,
    );
    const limit = Math.min(CONVERSATION_PAGE_MAX, query.limit ? Number(query.limit) : CONVERSATION_PAGE_DEFAULT);
    const page = await s.conversations.page(operator.siteId, limit, query.cursor ? decodeCursor(query.cursor) : undefined);
    return c.json({
      conversations: page.conversations.map(conversationView),
      ...(page.next ? { next: encodeCursor(page.next) } : {}),
    });
  });

  api.post('/conversations/:cid/assign', async (c) => {
    auditAs(c, 'conversation.assign', { conversationId: c.req.param('cid') });
    const { operator } = await requireSession(c, s);
    return c.json(conversationView(await s.conversations.assign(operator, c.req.param('cid'))));
  });

  api.post('/conversations/:cid/join', async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'conversation.join', { conversationId: cid });
    const { operator } = await requireSession(c, s);
    return c.json(conversationView(await s.conversations.join(operator, cid)));
  });

  api.post('/conversations/:cid/transfer', async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'conversation.transfer', { conversationId: cid });
    const { operator } = await requireSession(c, s);
    const body = await readBody(c, transferRequestSchema);
    note(c, { targetOperatorId: body.agentId });
    const { before, after } = await s.conversations.transfer(operator, cid, body.agentId);
    if (before.assignedAgentId && before.assignedAgentId !== after.assignedAgentId)
      await s.invitations.cancelOpenOf(cid, before.assignedAgentId);
    return c.json(conversationView(after));
  });

  api.get('/conversations/:cid/history', async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'history.list', { conversationId: cid });
    const { operator } = await requireSession(c, s);
    return c.json({ responses: await s.history.list(operator, cid) });
  });

  api.post('/conversations/:cid/close', async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'conversation.close', { conversationId: cid });
    if (hasSession(c)) {
      const { operator } = await requireSession(c, s);
      const conversation = await s.conversations.forOperator(operator, cid);
      if (operator.role === 'agent' && conversation.assignedAgentId !== operator.id) {
        throw new Refusal('NOT_ASSIGNED', 'You are not assigned to this conversation.');
      }
    } else {
      await requireVisitor(c, s, cid);
    }
    return c.json(conversationView(await s.conversations.close(cid)));
  });

  api.get('/conversations/:cid/messages', async (c) => {
    const cid = c.req.param('cid');
    if (hasSession(c)) {
      const { operator } = await requireSession(c, s);
      await s.conversations.forOperator(operator, cid);
    } else {
      await requireVisitor(c, s, cid);
    }
    note(c, { conversationId: cid });
    return c.json({ messages: (await s.conversations.messages(cid)).map(messageView) });
  });

  api.post('/conversations/:cid/messages', async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'message.post', { conversationId: cid });
    if (hasSession(c)) {
      const { operator } = await requireSession(c, s);
      const conversation = await s.conversations.assignedTo(operator, cid);
      const body = await readBody(c, postMessageRequestSchema);
      const row = await s.conversations.post(conversation, {
        kind: 'text',
        from: 'agent',
        authorName: operator.displayName,
        text: body.text,
      });
      return c.json(messageView(row), 201);
    }
    const conversation = await requireVisitor(c, s, cid);
    if (conversation.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    await s.conversations.limitVisitorMessage(conversation, clientAddress(c));
    const body = await readBody(c, postMessageRequestSchema);
    const row = await s.conversations.post(conversation, {
      kind: 'text',
      from: 'visitor',
      authorName: conversation.visitorName,
      text: body.text,
    });
    return c.json(messageView(row), 201);
  });
}
