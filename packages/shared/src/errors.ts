/**
 * The refusal body's schema, and the reader that checks a refusal against it. The codes
 * themselves, `SecureFormsError` and the visitor's zod-free reader are in `error-codes.ts`,
 * re-exported here.
 */
import * as z from 'zod/mini';
import { ERROR_CODES, SecureFormsError } from './error-codes.js';

export * from './error-codes.js';

export const errorCodeSchema = z.enum(ERROR_CODES);

/** One field that failed validation: a path into the request and a short reason (never the value). */
export const fieldIssueSchema = z.object({
  path: z.string(),
  reason: z.string(),
});
export type FieldIssue = z.infer<typeof fieldIssueSchema>;

/** The body of every refusal from the PCI backend. */
export const errorBodySchema = z.object({
  error: z.object({
    code: errorCodeSchema,
    message: z.string(),
    fields: z.optional(z.array(fieldIssueSchema)),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** Read a refusal body; anything unrecognisable becomes INTERNAL so callers always get a code. */
export function toSecureFormsError(status: number, body: unknown): SecureFormsError {
  const parsed = errorBodySchema.safeParse(body);
  if (parsed.success) {
    const { code, message, fields } = parsed.data.error;
    return new SecureFormsError(code, message, status, fields);
  }
  return new SecureFormsError('INTERNAL', `Unexpected response (HTTP ${status}).`, status);
}
