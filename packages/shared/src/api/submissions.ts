/** Submissions: the frame sends the sealed answers, the agent's panel retrieves them. */
import * as z from 'zod/mini';
import { sealedEnvelopeSchema } from '../envelope.js';
import { fieldIdSchema } from '../form-definition.js';
import { isoTimeSchema, uuidSchema } from '../formats.js';
import { CARD_BRANDS } from '../vocabulary.js';
import { otkSchema, siteIdSchema } from './common.js';

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
