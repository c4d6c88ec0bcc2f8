/**
 * Webhooks to the brand's chat server: the events the PCI backend sends (ids, states and times,
 * never a form value or a key), and the API (`/v1/integration/webhooks`, API credential) that
 * registers endpoints, rotates their signing secrets and shows their deliveries. How a receiver
 * checks a webhook: ./webhooks.ts.
 */
import * as z from 'zod/mini';
import { isoTimeSchema, uuidSchema } from './formats.js';
import { localizedTextSchema } from './form-definition.js';
import { INVITATION_STATES } from './vocabulary.js';

/** The invitation event types: one per state an invitation enters. */
export const INVITATION_WEBHOOK_EVENT_TYPES = [
  'invitation.sent',
  'invitation.opened',
  'invitation.submitted',
  'invitation.viewed',
  'invitation.expired',
  'invitation.cancelled',
] as const;
/**
 * The conversation event types, one per change of who has a conversation: `assigned` (a waiting
 * conversation got its agent), `transferred` (another agent took it over), `closed`. An action
 * that changes nothing (assigning again to the agent who has it, closing a closed conversation,
 * transferring to the agent who has it) sends nothing.
 */
export const CONVERSATION_WEBHOOK_EVENT_TYPES = ['conversation.assigned', 'conversation.transferred', 'conversation.closed'] as const;
/** Every event type an endpoint may take. */
export const WEBHOOK_EVENT_TYPES = [...INVITATION_WEBHOOK_EVENT_TYPES, ...CONVERSATION_WEBHOOK_EVENT_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export type ConversationWebhookEventType = (typeof CONVERSATION_WEBHOOK_EVENT_TYPES)[number];

/** The most endpoints one site may have enabled at once. */
export const MAX_WEBHOOK_ENDPOINTS = 5;
/** The longest a previous secret stays valid after a rotation: seven days. */
export const MAX_WEBHOOK_PREVIOUS_VALIDITY_SECONDS = 7 * 24 * 3600;
/** A webhook signing secret: `whsec_` and 256 random bits in base64url, shown once. */
export const WEBHOOK_SECRET_PATTERN = /^whsec_[A-Za-z0-9_-]{43}$/;

/** A webhook endpoint's id: 16 base64url characters. */
export const webhookEndpointIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{16}$/));

/**
 * The JSON body of an invitation's webhook: the event's id (also in `Secure-Forms-Webhook-Id`, the
 * same on every retry), its type, when it was made, and the invitation's ids, new state and form
 * title.
 */
export const invitationWebhookEventSchema = z.object({
  id: uuidSchema,
  type: z.enum(INVITATION_WEBHOOK_EVENT_TYPES),
  createdAt: isoTimeSchema,
  data: z.object({
    invitationId: uuidSchema,
    conversationId: uuidSchema,
    state: z.enum(INVITATION_STATES),
    /** When the invitation entered the state. */
    at: isoTimeSchema,
    /**
     * The form's title as the invitation was sent with it (the site's form definition: English, or
     * English and its translations), so the chat can say "Payment card form sent". A title, never a
     * value; null only when the conversation's transcript no longer holds the invitation.
     */
    formTitle: z.nullable(localizedTextSchema),
  }),
});
export type InvitationWebhookEvent = z.infer<typeof invitationWebhookEventSchema>;

/**
 * The JSON body of a conversation's webhook: the conversation's id (the one its registration
 * answered), its state after the change, and the agents by the brand's ids (an operator's
 * `externalId` in the sites file; null for an operator without one).
 */
export const conversationWebhookEventSchema = z.object({
  id: uuidSchema,
  type: z.enum(CONVERSATION_WEBHOOK_EVENT_TYPES),
  createdAt: isoTimeSchema,
  data: z.object({
    conversationId: uuidSchema,
    state: z.enum(['active', 'closed']),
    /** The agent who has the conversation after the change (for `closed`: who had it; null if none did). */
    agentId: z.nullable(z.string()),
    /** `transferred` only: the agent who had it before. */
    previousAgentId: z.optional(z.nullable(z.string())),
    /** When the change happened. */
    at: isoTimeSchema,
  }),
});
export type ConversationWebhookEvent = z.infer<typeof conversationWebhookEventSchema>;

/** The JSON body of any webhook, told apart by `type` (`invitation.*` or `conversation.*`). */
export const webhookEventSchema = z.union([invitationWebhookEventSchema, conversationWebhookEventSchema]);
export type WebhookEvent = z.infer<typeof webhookEventSchema>;

/** `POST /v1/integration/webhooks`: where to send, and which events (by default all). */
export const createWebhookEndpointRequestSchema = z.object({
  url: z.string().check(z.minLength(1), z.maxLength(2048)),
  events: z.optional(z.array(z.enum(WEBHOOK_EVENT_TYPES)).check(z.minLength(1))),
});
export type CreateWebhookEndpointRequest = z.infer<typeof createWebhookEndpointRequestSchema>;

/** An endpoint as listed: never a secret. */
export const webhookEndpointSchema = z.object({
  id: webhookEndpointIdSchema,
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENT_TYPES)),
  createdAt: isoTimeSchema,
  disabledAt: z.nullable(isoTimeSchema),
  /** While a rotation's previous secret is still signed with: until when. */
  previousSecretExpiresAt: z.nullable(isoTimeSchema),
});
export type WebhookEndpoint = z.infer<typeof webhookEndpointSchema>;

/** The answer to a registration or a rotation: the endpoint and its new secret, shown this once. */
export const webhookEndpointWithSecretSchema = z.object({
  ...webhookEndpointSchema.shape,
  secret: z.string().check(z.regex(WEBHOOK_SECRET_PATTERN)),
});
export type WebhookEndpointWithSecret = z.infer<typeof webhookEndpointWithSecretSchema>;

/** `GET /v1/integration/webhooks`: the site's endpoints, disabled ones included, oldest first. */
export const webhookEndpointListResponseSchema = z.object({ endpoints: z.array(webhookEndpointSchema) });

/**
 * `POST /v1/integration/webhooks/:id/rotate`: how long the previous secret stays valid (by
 * default a day; 0 retires it at once).
 */
export const rotateWebhookSecretRequestSchema = z.object({
  previousValidForSeconds: z.optional(z.int().check(z.minimum(0), z.maximum(MAX_WEBHOOK_PREVIOUS_VALIDITY_SECONDS))),
});
export type RotateWebhookSecretRequest = z.infer<typeof rotateWebhookSecretRequestSchema>;

/** One delivery of one event to one endpoint: what happened to it, never its body's signature. */
export const webhookDeliverySchema = z.object({
  id: z.string(),
  eventId: uuidSchema,
  eventType: z.enum(WEBHOOK_EVENT_TYPES),
  createdAt: isoTimeSchema,
  attempts: z.int(),
  /** The next attempt, while it is still to be delivered. */
  nextAttemptAt: z.nullable(isoTimeSchema),
  deliveredAt: z.nullable(isoTimeSchema),
  /** No more attempts after this (a dead letter): `lastError` says why. Redeliver to try again. */
  deadLetteredAt: z.nullable(isoTimeSchema),
  lastStatus: z.nullable(z.int()),
  lastError: z.nullable(z.string()),
});
export type WebhookDelivery = z.infer<typeof webhookDeliverySchema>;

/** `GET /v1/integration/webhooks/:id/deliveries`: the latest, newest first. */
export const webhookDeliveryListResponseSchema = z.object({ deliveries: z.array(webhookDeliverySchema) });
