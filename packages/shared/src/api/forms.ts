/** The agent's form catalog: the questions each form asks, never the answers. */
import * as z from 'zod/mini';
import {
  FIELD_TYPE_NAMES,
  fieldIdSchema,
  formIdSchema,
  isOffTheRecord,
  localizedTextSchema,
  type FormDefinition,
} from '../form-definition.js';

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
