/** The event streams (SSE): the agent's own, and the visitor's of one conversation. */
import * as z from 'zod/mini';
import { isoTimeSchema, uuidSchema } from '../formats.js';
import { otkSchema } from './common.js';
import { CONVERSATION_STATES, conversationMessageSchema, conversationSchema } from './conversations.js';
import { invitationViewSchema } from './invitations.js';

/** Events on `GET /v1/agent/events`: for this agent alone, never in the chat. */
export const agentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('conversation'), conversation: conversationSchema }),
  z.object({ type: z.literal('message'), conversationId: uuidSchema, message: conversationMessageSchema }),
  z.object({ type: z.literal('invitation'), invitation: invitationViewSchema }),
  z.object({
    type: z.literal('submission'),
    invitationId: uuidSchema,
    submissionId: uuidSchema,
    retrieveOtk: otkSchema,
    retrieveOtkExpiresAt: isoTimeSchema,
  }),
]);
export type AgentEvent = z.infer<typeof agentEventSchema>;

/** Events on `GET /v1/conversations/:id/events` for the visitor. */
export const visitorEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('message'), message: conversationMessageSchema }),
  z.object({ type: z.literal('conversation'), state: z.enum(CONVERSATION_STATES) }),
]);
export type VisitorEvent = z.infer<typeof visitorEventSchema>;
