/**
 * The PCI backend's HTTP API, `/v1`: every request and response body as a schema. The backend
 * parses each request with these before any use; the widgets parse each response.
 *
 * Credentials, one header each, so that `Authorization` carries one-time keys only:
 * - `Authorization: OTK <key>`            a one-time key (view, submit, retrieve)
 * - `Secure-Forms-Session: <token>`       an operator's (agent's) session
 * - `Secure-Forms-Conversation: <token>`  a visitor's conversation token
 */
import * as z from 'zod/mini';
import {
  FIELD_TYPE_NAMES,
  fieldIdSchema,
  formDefinitionSchema,
  formIdSchema,
  isOffTheRecord,
  localizedTextSchema,
  type FormDefinition,
} from './form-definition.js';
import { publicJwkSchema, sealedEnvelopeSchema } from './envelope.js';
import { isoTimeSchema, OTK_PATTERN, SITE_ID_PATTERN, uuidSchema } from './formats.js';
import { CARD_BRANDS, INVITATION_STATES, PERMISSIONS, ROLES } from './vocabulary.js';

export const API_PREFIX = '/v1';
export const OTK_SCHEME = 'OTK';
export const SESSION_HEADER = 'Secure-Forms-Session';
export const CONVERSATION_HEADER = 'Secure-Forms-Conversation';

/** 256 random bits, base64url without padding. */
export const otkSchema = z.string().check(z.regex(OTK_PATTERN));
/** Session and conversation tokens: at least 128 random bits, base64url. */
export const tokenSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{22,128}$/));
export const siteIdSchema = z.string().check(z.regex(SITE_ID_PATTERN));

/** `Authorization: OTK <key>` */
export function otkAuthorization(otk: string): string {
  return `${OTK_SCHEME} ${otk}`;
}

export const OTK_ACTIONS = ['view', 'submit', 'retrieve'] as const;
export type OtkAction = (typeof OTK_ACTIONS)[number];

// ---- sessions -------------------------------------------------------------------------------

/** A TOTP code: 6 digits. */
export const totpCodeSchema = z.string().check(z.regex(/^\d{6}$/));

export const loginRequestSchema = z.object({
  siteId: siteIdSchema,
  username: z.string().check(z.minLength(1), z.maxLength(100)),
  password: z.string().check(z.minLength(1), z.maxLength(1024)),
  /** The current TOTP code (RFC 6238), when the operator has a second factor; or use the challenge below. */
  totp: z.optional(totpCodeSchema),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const operatorSchema = z.object({
  id: z.string(),
  siteId: siteIdSchema,
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  permissions: z.array(z.enum(PERMISSIONS)),
});
export type Operator = z.infer<typeof operatorSchema>;

export const loginResponseSchema = z.object({
  token: tokenSchema,
  operator: operatorSchema,
  idleTimeoutSeconds: z.number(),
  expiresAt: isoTimeSchema,
});
export type LoginResponse = z.infer<typeof loginResponseSchema>;

/**
 * `POST /v1/sessions` answers 200 with this (no session yet) when the password was right, the
 * operator has a second factor, and the request carried no `totp`. The panel then asks for the
 * code and calls `POST /v1/sessions/second-factor` with the challenge (single use, short TTL).
 */
export const secondFactorChallengeSchema = z.object({
  secondFactorRequired: z.literal(true),
  challenge: tokenSchema,
  expiresAt: isoTimeSchema,
});
export type SecondFactorChallenge = z.infer<typeof secondFactorChallengeSchema>;

/** `POST /v1/sessions/second-factor` → 201 `loginResponseSchema`. */
export const secondFactorRequestSchema = z.object({ challenge: tokenSchema, totp: totpCodeSchema });

/**
 * `POST /v1/sessions/current/password` (session) → 204: the signed-in operator changes its own
 * password. The new one must meet the site's policy, not be a common password, and not be one of
 * the operator's last four; every other session of the operator ends.
 */
export const changePasswordRequestSchema = z.object({
  currentPassword: z.string().check(z.minLength(1), z.maxLength(1024)),
  newPassword: z.string().check(z.minLength(1), z.maxLength(1024)),
});
export type ChangePasswordRequest = z.infer<typeof changePasswordRequestSchema>;

/** `POST /v1/operators/:id/enable` (admin session) → `operatorStatusSchema`: re-enable a locked operator. */
export const operatorStatusSchema = z.object({
  operator: operatorSchema,
  locked: z.boolean(),
});
export type OperatorStatus = z.infer<typeof operatorStatusSchema>;

/** `GET /v1/operators` (admin session) → the site's operators with whether each is locked, oldest first. */
export const operatorListResponseSchema = z.object({ operators: z.array(operatorStatusSchema) });

// ---- forms ----------------------------------------------------------------------------------

/**
 * One form in the agent's catalog: what the panel needs to offer it and to label the answers it
 * decrypts. The whole definition (hints, options, rules) is the frame's business only.
 */
export const formSummarySchema = z.object({
  id: formIdSchema,
  version: z.number(),
  title: localizedTextSchema,
  fields: z.array(
    z.object({
      id: fieldIdSchema,
      type: z.enum(FIELD_TYPE_NAMES),
      label: localizedTextSchema,
      /** Whether the answer travels in the off-the-record part (`isOffTheRecord`). */
      offTheRecord: z.optional(z.boolean()),
    }),
  ),
});
export type FormSummary = z.infer<typeof formSummarySchema>;

/** `GET /v1/forms`: the forms this site lets the agent send. Questions, never answers. */
export const formCatalogResponseSchema = z.object({ forms: z.array(formSummarySchema) });

/** A form definition as the catalog shows it. */
export function formSummary(form: FormDefinition): FormSummary {
  return {
    id: form.id,
    version: form.version,
    title: form.title,
    fields: form.fields.map((f) => ({ id: f.id, type: f.type, label: f.label, offTheRecord: isOffTheRecord(f) })),
  };
}

// ---- conversations --------------------------------------------------------------------------

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
    from: z.enum(['visitor', 'agent', 'system']),
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

// ---- invitations ----------------------------------------------------------------------------

export const createInvitationRequestSchema = z.object({
  formId: formIdSchema,
  /** The public half of the key pair the panel made for this invitation only. */
  publicKey: publicJwkSchema,
});
export type CreateInvitationRequest = z.infer<typeof createInvitationRequestSchema>;

export const invitationViewSchema = z.object({
  id: uuidSchema,
  conversationId: uuidSchema,
  formId: formIdSchema,
  formVersion: z.number(),
  formTitle: localizedTextSchema,
  state: z.enum(INVITATION_STATES),
  opens: z.number(),
  openLimit: z.number(),
  submissionId: z.nullable(uuidSchema),
  sentAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
  /** When the invitation entered each state it has been in (the sender sees the history). */
  stateTimes: z.optional(
    z.object({
      sent: isoTimeSchema,
      opened: z.optional(isoTimeSchema),
      submitted: z.optional(isoTimeSchema),
      viewed: z.optional(isoTimeSchema),
      expired: z.optional(isoTimeSchema),
      cancelled: z.optional(isoTimeSchema),
    }),
  ),
});
export type InvitationView = z.infer<typeof invitationViewSchema>;

export const openInvitationResponseSchema = z.object({
  viewOtk: otkSchema,
  expiresAt: isoTimeSchema,
  /** How many more times the visitor may open this form after this open (0: this was the last). */
  opensLeft: z.int().check(z.minimum(0)),
});

/** What the frame gets for its view OTK: everything it needs to render, encrypt and submit. */
export const viewFormResponseSchema = z.object({
  invitationId: uuidSchema,
  siteId: siteIdSchema,
  form: formDefinitionSchema,
  /** Keys to seal on-the-record answers to (the agent's, and the site's history key if enabled). */
  recordKeys: z.array(publicJwkSchema).check(z.minLength(1), z.maxLength(2)),
  /** The agent's key only: off-the-record answers are never sealed to the history key. */
  offTheRecordKey: publicJwkSchema,
  submitOtk: otkSchema,
  submitDeadline: isoTimeSchema,
  extensionsLeft: z.number(),
});
export type ViewFormResponse = z.infer<typeof viewFormResponseSchema>;

// ---- submissions ----------------------------------------------------------------------------

/** Display hints PCI DSS allows in clear beside the sealed answers. */
export const submissionHintsSchema = z.object({
  cardBrand: z.optional(z.enum(CARD_BRANDS)),
  lastFour: z.optional(z.string().check(z.regex(/^\d{4}$/))),
});

export const submitRequestSchema = z.object({
  invitationId: uuidSchema,
  onTheRecord: z.nullable(sealedEnvelopeSchema),
  offTheRecord: z.nullable(sealedEnvelopeSchema),
  /** Which field ids each part holds, so the panel can lay them out without decrypting. */
  fieldIds: z.object({ onTheRecord: z.array(fieldIdSchema), offTheRecord: z.array(fieldIdSchema) }),
  hints: submissionHintsSchema,
});
export type SubmitRequest = z.infer<typeof submitRequestSchema>;

export const submitResponseSchema = z.object({ submissionId: uuidSchema });
export type SubmitResponse = z.infer<typeof submitResponseSchema>;

export const extendResponseSchema = z.object({
  submitOtk: otkSchema,
  submitDeadline: isoTimeSchema,
  extensionsLeft: z.number(),
});

export type ExtendResponse = z.infer<typeof extendResponseSchema>;

/**
 * The off-the-record part of a retrieve: `available` (here, handed out now and deleted from the
 * backend), `handed-out` (an earlier retrieve took it), `expired` (its time ran out first, or the
 * backend restarted), `none` (the form had no off-the-record answer).
 */
export const OFF_THE_RECORD_STATES = ['available', 'handed-out', 'expired', 'none'] as const;

export const retrieveResponseSchema = z.object({
  submissionId: uuidSchema,
  invitationId: uuidSchema,
  siteId: siteIdSchema,
  formRef: z.string(),
  submittedAt: isoTimeSchema,
  onTheRecord: z.nullable(sealedEnvelopeSchema),
  offTheRecord: z.nullable(sealedEnvelopeSchema),
  offTheRecordState: z.enum(OFF_THE_RECORD_STATES),
  /** When the off-the-record answers leave the backend's memory. */
  offTheRecordExpiresAt: z.nullable(isoTimeSchema),
  hints: submissionHintsSchema,
});
export type RetrieveResponse = z.infer<typeof retrieveResponseSchema>;

export const retrieveOtkResponseSchema = z.object({
  retrieveOtk: otkSchema,
  expiresAt: isoTimeSchema,
});

// ---- the agent's event stream (SSE) ---------------------------------------------------------

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

// ---- cancelling, and the manager's view of responses in conversation history ----------------

// `POST /v1/invitations/:iid/cancel` (session, the sender): no request body → `invitationViewSchema`,
// state cancelled.

/** One response in a conversation's history, as a manager with the permission sees it listed. */
export const historyEntrySchema = z.object({
  submissionId: uuidSchema,
  invitationId: uuidSchema,
  formId: formIdSchema,
  formRef: z.string(),
  formTitle: localizedTextSchema,
  agentId: z.string(),
  submittedAt: isoTimeSchema,
  /** False where the site had history viewing off when the form was sent: nothing to show. */
  viewable: z.boolean(),
});
export type HistoryEntry = z.infer<typeof historyEntrySchema>;

/** `GET /v1/conversations/:cid/history` (session with view-responses-in-history). */
export const historyListResponseSchema = z.object({ responses: z.array(historyEntrySchema) });

/**
 * `POST /v1/submissions/:sid/history-view` (session with view-responses-in-history): the backend
 * opens its history recipient's copy of the on-the-record answers with the site's history key and
 * seals them again to `publicKey`, a key pair the manager's panel made for this one view.
 * Off-the-record answers were never sealed to the history key, so they are never here.
 */
export const historyViewRequestSchema = z.object({ publicKey: publicJwkSchema });
export const historyViewResponseSchema = z.object({
  submissionId: uuidSchema,
  invitationId: uuidSchema,
  siteId: siteIdSchema,
  formRef: z.string(),
  submittedAt: isoTimeSchema,
  /** Sealed to the request's public key with the original binding (part on-the-record). */
  onTheRecord: sealedEnvelopeSchema,
  hints: submissionHintsSchema,
});
