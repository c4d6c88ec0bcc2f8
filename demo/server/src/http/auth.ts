/** Reading the three credentials: operator session, visitor conversation token, one-time key. */
import { CONVERSATION_HEADER, SESSION_HEADER } from '@secure-forms/shared';
import type { Authenticated } from '../accounts/accounts.js';
import { otkFromHeader } from '../otk.js';
import type { Services } from '../services.js';
import type { ConversationRow } from '../storage/types.js';
import { note, operatorActor, visitorActor, type AppContext } from './context.js';

export async function requireSession(c: AppContext, s: Services, touch = true): Promise<Authenticated> {
  const auth = await s.rt.accounts.authenticate(c.req.header(SESSION_HEADER), touch);
  note(c, { actor: operatorActor(auth.operator.id), siteId: auth.operator.siteId });
  return auth;
}

export async function requireVisitor(c: AppContext, s: Services, conversationId: string): Promise<ConversationRow> {
  const conversation = await s.conversations.authorizeVisitor(conversationId, c.req.header(CONVERSATION_HEADER));
  note(c, { actor: visitorActor(conversation.id), siteId: conversation.siteId, conversationId: conversation.id });
  return conversation;
}

export function hasSession(c: AppContext): boolean {
  return c.req.header(SESSION_HEADER) !== undefined;
}

export function requireOtk(c: AppContext): string {
  return otkFromHeader(c.req.header('Authorization'));
}
