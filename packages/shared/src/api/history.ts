/**
 * Cancelling an invitation, and a manager's view of the responses in a conversation's history
 * (on-the-record answers only, sealed again to the manager's one-view key).
 */
import * as z from 'zod/mini';
import { publicJwkSchema, sealedEnvelopeSchema } from '../envelope.js';
import { formIdSchema, localizedTextSchema } from '../form-definition.js';
import { isoTimeSchema, uuidSchema } from '../formats.js';
import { siteIdSchema } from './common.js';
import { submissionHintsSchema } from './submissions.js';

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
