/** Invitations: the agent sends a form, the visitor opens it, the frame gets what it renders. */
import * as z from 'zod/mini';
import { publicJwkSchema } from '../envelope.js';
import { formDefinitionSchema, formIdSchema, localizedTextSchema } from '../form-definition.js';
import { isoTimeSchema, localeTagSchema, uuidSchema } from '../formats.js';
import { INVITATION_STATES } from '../vocabulary.js';
import { otkSchema, siteIdSchema } from './common.js';

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
export type OpenInvitationResponse = z.infer<typeof openInvitationResponseSchema>;

/**
 * The query of the two requests that answer the form (`POST /v1/invitations/:iid/view`,
 * `POST /v1/forms/view`): with `locale`, each text of the form carries only the translations the
 * frame shows in that locale (`formForLocale`); without it, all of them.
 */
export const formViewQuerySchema = z.object({ locale: z.optional(localeTagSchema) });

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

/**
 * `POST /v1/invitations/:iid/view`, the frame's one request on open: the open counted and the form
 * for it, as `POST /v1/forms/view` answers, with the opens left.
 */
// `z.extend`, not a spread of the view answer's shape: a call of `z` is marked pure for the
// bundlers, a spread is not, and would keep both schemas (and the form definition's) in every
// bundle that imports this module (the agent panel: 1.3 kB min+gzip).
export const openFormResponseSchema = z.extend(viewFormResponseSchema, {
  /** How many more times the visitor may open this form after this open (0: this was the last). */
  opensLeft: z.int().check(z.minimum(0)),
});
export type OpenFormResponse = z.infer<typeof openFormResponseSchema>;
