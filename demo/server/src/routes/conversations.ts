import { postMessageRequestSchema, startConversationRequestSchema, transferRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { hasSession, requireSession, requireVisitor } from '../http/auth.js';
import { auditAs, note, visitorActor, type AppEnv } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { readBody } from '../http/validation.js';
import type { Services } from '../services.js';
import { conversationView, messageView } from '../views.js';

export function conversationRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/conversations', async (c) => {
    auditAs(c, 'conversation.start');
    const body = await readBody(c, startConversationRequestSchema);
    note(c, { siteId: body.siteId });
    const { conversation, token } = await s.conversations.start(body.siteId, body.visitorName);
    note(c, { actor: visitorActor(conversation.id), conversationId: conversation.id });
    return c.json({ conversationId: conversation.id, conversationToken: token }, 201);
  });

  api.get('/conversations', async (c) => {
    const { operator } = await requireSession(c, s);
    const rows = await s.conversations.list(operator.siteId);
    return c.json({ conversations: rows.map(conversationView) });
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
        throw new ApiError('NOT_ASSIGNED', 'You are not assigned to this conversation.');
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
    if (conversation.state === 'closed') throw new ApiError('CONVERSATION_CLOSED', 'The conversation has ended.');
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
