/** Conversations: the visitor starts one, agents see the queue, join, transfer and chat in it. */
import * as z from 'zod/mini';
import { localizedTextSchema } from '../form-definition.js';
import { isoTimeSchema, uuidSchema } from '../formats.js';
import { INVITATION_STATES, MESSAGE_AUTHORS } from '../vocabulary.js';
import { siteIdSchema, tokenSchema } from './common.js';

export const CONVERSATION_STATES = ['waiting', 'active', 'closed'] as const;

export const startConversationRequestSchema = z.object({
  siteId: siteIdSchema,
  // Shown in every agent's queue: no control or format characters (line breaks, bidi overrides).
  visitorName: z.optional(z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[^\p{Cc}\p{Cf}]+$/u))),
});
export const startConversationResponseSchema = z.object({
  conversationId: uuidSchema,
  conversationToken: tokenSchema,
});

export const conversationSchema = z.object({
  id: uuidSchema,
  siteId: siteIdSchema,
  state: z.enum(CONVERSATION_STATES),
  visitorName: z.string(),
  assignedAgentId: z.nullable(z.string()),
  createdAt: isoTimeSchema,
});
export type Conversation = z.infer<typeof conversationSchema>;
/** Where each state's conversations stand in the queue: waiting first, then active, then closed. */
const QUEUE_RANK: Record<Conversation['state'], number> = { waiting: 0, active: 1, closed: 2 };

/**
 * The queue's order, for `Array.prototype.sort`: waiting conversations first, then active, then
 * closed; newest first within each, and the greater id first between two started at the same
 * moment. It is the order the server gives the queue's pages in (listConversationPage in
 * demo/server/src/storage/conversations.ts, index conversations_queue), for clients that place
 * a conversation that came some other way (an event) among those the pages brought.
 */
export function compareQueueOrder(
  a: Pick<Conversation, 'state' | 'createdAt' | 'id'>,
  b: Pick<Conversation, 'state' | 'createdAt' | 'id'>,
): number {
  return (
    QUEUE_RANK[a.state] - QUEUE_RANK[b.state] ||
    Date.parse(b.createdAt) - Date.parse(a.createdAt) ||
    (a.id === b.id ? 0 : a.id < b.id ? 1 : -1)
  );
}
/** The most conversations one page of the queue holds, and how many when no limit is asked. */
export const CONVERSATION_PAGE_MAX = 200;
export const CONVERSATION_PAGE_DEFAULT = 50;
/** An opaque position in the queue, from a page's `next`. */
export const conversationCursorSchema = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[A-Za-z0-9_-]+$/));
/**
 * `GET /v1/conversations?limit=&cursor=` (session): the queue in pages, waiting conversations
 * first, then active, then closed; newest first within each.
 */
export const conversationListQuerySchema = z.object({
  limit: z.optional(z.string().check(z.regex(/^[1-9][0-9]{0,2}$/))),
  cursor: z.optional(conversationCursorSchema),
});
/** One page of the queue; `next` (when present) asks for the page after it. */
export const conversationListResponseSchema = z.object({
  conversations: z.array(conversationSchema),
  next: z.optional(conversationCursorSchema),
});
export type ConversationListResponse = z.infer<typeof conversationListResponseSchema>;

/** `POST /v1/conversations/:cid/transfer` (assigned agent, manager or admin) → `conversationSchema`. */
export const transferRequestSchema = z.object({ agentId: z.string().check(z.minLength(1), z.maxLength(100)) });

/** `GET /v1/agents` (session) → the agents a conversation can be transferred to: not locked, not the caller. */
export const agentListResponseSchema = z.object({ agents: z.array(z.object({ id: z.string(), displayName: z.string() })) });

// `POST /v1/conversations/:cid/join` (session): watch a conversation without being assigned →
// `conversationSchema`. No request body.

/** `POST /v1/conversations/:cid/messages` (session or conversation token): one line of chat → `conversationMessageSchema`. */
export const postMessageRequestSchema = z.object({
  text: z.string().check(z.minLength(1), z.maxLength(2000)),
});

/** One line of the transcript. Secure forms appear only as ids and states, never values. */
export const conversationMessageSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('text'),
    id: z.string(),
    at: isoTimeSchema,
    from: z.enum(MESSAGE_AUTHORS),
    authorName: z.string(),
    text: z.string(),
  }),
  z.object({
    kind: z.literal('invitation'),
    id: z.string(),
    at: isoTimeSchema,
    invitationId: uuidSchema,
    formTitle: localizedTextSchema,
  }),
  z.object({
    kind: z.literal('invitation-status'),
    id: z.string(),
    at: isoTimeSchema,
    invitationId: uuidSchema,
    state: z.enum(INVITATION_STATES),
  }),
]);
export type ConversationMessage = z.infer<typeof conversationMessageSchema>;
export const messageListResponseSchema = z.object({ messages: z.array(conversationMessageSchema) });
