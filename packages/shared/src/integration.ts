/**
 * The server API a brand's own chat platform calls (`/v1/integration/*`), and the API credentials
 * an admin issues for it (`/v1/api-credentials`). A credential belongs to one site and travels as
 * `Authorization: Bearer <credential>`, from the brand's servers only: never from a browser.
 */
import * as z from 'zod/mini';
import { INVITATION_STATES } from './vocabulary.js';
import { TOKEN_PATTERN, isoTimeSchema, uuidSchema } from './formats.js';

/** The `Authorization` scheme of an API credential. */
export const BEARER_SCHEME = 'Bearer';

/**
 * An API credential: `sfk.<id>.<secret>`, the id 96 random bits (16 base64url characters, shown
 * in lists and audit lines) and the secret 256 random bits (43 base64url characters, shown once).
 */
export const API_CREDENTIAL_PATTERN = /^sfk\.([A-Za-z0-9_-]{16})\.([A-Za-z0-9_-]{43})$/;
/** A credential's id alone (what lists, revocation and audit lines name). */
export const apiCredentialIdSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{16}$/));

/** `Authorization: Bearer <credential>` */
export function bearerAuthorization(credential: string): string {
  return `${BEARER_SCHEME} ${credential}`;
}

// ---- API credentials (admin) ----------------------------------------------------------------

/** A short name an admin gives a credential (which server, which rotation). No control characters. */
const labelSchema = z.string().check(z.minLength(1), z.maxLength(100), z.regex(/^[^\p{Cc}\p{Cf}]+$/u));

/** `POST /v1/api-credentials` (admin) → `createdApiCredentialSchema`. */
export const createApiCredentialRequestSchema = z.object({ label: labelSchema });
export type CreateApiCredentialRequest = z.infer<typeof createApiCredentialRequestSchema>;

/** A credential as listed: never its secret, which only the creating response holds. */
export const apiCredentialSchema = z.object({
  id: apiCredentialIdSchema,
  siteId: z.string(),
  label: z.string(),
  createdAt: isoTimeSchema,
  revokedAt: z.nullable(isoTimeSchema),
});
export type ApiCredential = z.infer<typeof apiCredentialSchema>;

/** The answer to creating one: the credential itself, shown this once (only its hash is stored). */
export const createdApiCredentialSchema = z.object({
  ...apiCredentialSchema.shape,
  credential: z.string().check(z.regex(API_CREDENTIAL_PATTERN)),
});
export type CreatedApiCredential = z.infer<typeof createdApiCredentialSchema>;

/** `GET /v1/api-credentials` (admin): the site's credentials, revoked ones included, oldest first. */
export const apiCredentialListResponseSchema = z.object({ credentials: z.array(apiCredentialSchema) });

// ---- the brand's chat server ----------------------------------------------------------------

/** The brand's own id of a conversation or an agent: printable, no spaces or control characters. */
export const externalIdSchema = z.string().check(z.minLength(1), z.maxLength(200), z.regex(/^[\x21-\x7e]+$/));

/**
 * `POST /v1/integration/conversations` (API credential): register the brand's conversation. The
 * same `externalId` again returns the same conversation and token (200 instead of 201).
 */
export const registerConversationRequestSchema = z.object({
  externalId: externalIdSchema,
  // Shown in every agent's queue: no control or format characters (line breaks, bidi overrides).
  visitorName: z.optional(z.string().check(z.minLength(1), z.maxLength(80), z.regex(/^[^\p{Cc}\p{Cf}]+$/u))),
});
export type RegisterConversationRequest = z.infer<typeof registerConversationRequestSchema>;

/** A registered conversation as the brand's server sees it: agents by the brand's own ids. */
export const integrationConversationSchema = z.object({
  conversationId: uuidSchema,
  externalId: externalIdSchema,
  state: z.enum(['waiting', 'active', 'closed']),
  /** The brand's id of the assigned agent, or null while waiting. */
  agentId: z.nullable(z.string()),
  createdAt: isoTimeSchema,
});
export type IntegrationConversation = z.infer<typeof integrationConversationSchema>;

/** The answer to a registration: the conversation and the visitor's token for the chat page. */
export const registeredConversationSchema = z.object({
  ...integrationConversationSchema.shape,
  /** The visitor's conversation token: hand it to the chat page (the invite script), never log it. */
  conversationToken: z.string().check(z.regex(TOKEN_PATTERN)),
});
export type RegisteredConversation = z.infer<typeof registeredConversationSchema>;

/** `POST /v1/integration/conversations/:cid/assign` and `/transfer`: the brand's id of the agent. */
export const externalAgentRequestSchema = z.object({ agentId: externalIdSchema });
export type ExternalAgentRequest = z.infer<typeof externalAgentRequestSchema>;

/** One invitation of a registered conversation: its state, never a key, a value or a token. */
export const integrationInvitationSchema = z.object({
  id: uuidSchema,
  formId: z.string(),
  state: z.enum(INVITATION_STATES),
  /** The brand's id of the sending agent (null when that operator has none). */
  agentId: z.nullable(z.string()),
  sentAt: isoTimeSchema,
  updatedAt: isoTimeSchema,
});
export type IntegrationInvitation = z.infer<typeof integrationInvitationSchema>;

/** `GET /v1/integration/conversations/:cid/invitations` (API credential), oldest first. */
export const integrationInvitationListResponseSchema = z.object({ invitations: z.array(integrationInvitationSchema) });
