/**
 * Form definitions: what a site may ask a visitor, as schemas. Validated by the backend when a
 * site's configuration loads; the functions over a checked definition are in `form-rules.ts`.
 */
import * as z from 'zod/mini';
import { FIELD_TYPE_NAMES } from './field-types.js';

export { FIELD_TYPES, FIELD_TYPE_NAMES, fieldTypeSpec, inputType, type FieldType, type FieldTypeSpec } from './field-types.js';
export { formForLocale, formRef, isOffTheRecord, localize, textForLocale } from './form-rules.js';

/**
 * Text in English with optional translations keyed by BCP 47 language tag (`es`, `fr-CA`).
 * A bare string is English only.
 */
export const localizedTextSchema = z.union([
  z.string().check(z.minLength(1), z.maxLength(500)),
  z.object({
    en: z.string().check(z.minLength(1), z.maxLength(500)),
    translations: z.optional(z.record(z.string(), z.string().check(z.maxLength(500)))),
  }),
]);
export type LocalizedText = z.infer<typeof localizedTextSchema>;

/**
 * Names a field id may not take: `Object.prototype`'s members that the id pattern would allow.
 * Answers are records keyed by field id; such an id would read an inherited function where an
 * answer is missing. (`__proto__` and the other `__` names are already outside the pattern.)
 */
export const RESERVED_FIELD_IDS = [
  'constructor',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'toString',
  'valueOf',
] as const;

/**
 * A field id: a letter, then letters, digits or `_`, at most 40; never a name in
 * `RESERVED_FIELD_IDS`. One pattern, so the generated JSON Schema refuses the same ids.
 */
// Marked pure so that a bundle which never uses the schema (the form frame) drops it, and zod with
// it: a bundler cannot tell that building the pattern has no side effect, so it would keep it.
export const fieldIdSchema = /* @__PURE__ */ z
  .string()
  .check(z.regex(new RegExp(`^(?!(?:${RESERVED_FIELD_IDS.join('|')})$)[a-z][a-zA-Z0-9_]{0,39}$`)));

export const selectOptionSchema = z.object({
  value: z.string().check(z.minLength(1), z.maxLength(100)),
  label: localizedTextSchema,
});

export const fieldDefinitionSchema = z.object({
  /** Stable key of the answer inside the encrypted payload. */
  id: fieldIdSchema,
  type: z.enum(FIELD_TYPE_NAMES),
  label: localizedTextSchema,
  hint: z.optional(localizedTextSchema),
  required: z._default(z.boolean(), true),
  /** Shown as dots while typed (PINs, secret answers). */
  masked: z._default(z.boolean(), false),
  /** Never stored, kept in memory for minutes only. Forced on for the types that say `alwaysOffTheRecord` (CVV, PIN). */
  offTheRecord: z._default(z.boolean(), false),
  options: z.optional(z.array(selectOptionSchema).check(z.maxLength(200))),
  /**
   * Card number fields only: also take airline (UATP) card numbers, which start with 1. Off by
   * default, because no consumer card starts with 1 and such a number is a typing mistake.
   */
  airlineCards: z.optional(z.boolean()),
});
export type FieldDefinition = z.infer<typeof fieldDefinitionSchema>;

export const formIdSchema = z.string().check(z.regex(/^[a-z0-9][a-z0-9-]{0,63}$/));

export const formDefinitionSchema = z
  .object({
    id: formIdSchema,
    /** Bumped on every change; bound into the encrypted payload so answers match their questions. */
    version: z.int().check(z.minimum(1)),
    title: localizedTextSchema,
    description: z.optional(localizedTextSchema),
    fields: z.array(fieldDefinitionSchema).check(z.minLength(1), z.maxLength(50)),
    /** How many times the visitor may open the form before submitting it. */
    openLimit: z._default(z.int().check(z.minimum(1), z.maximum(20)), 3),
  })
  .check(
    z.refine((f) => new Set(f.fields.map((x) => x.id)).size === f.fields.length, {
      message: 'field ids must be unique',
      path: ['fields'],
    }),
    z.refine((f) => f.fields.every((x) => x.type !== 'select' || (x.options?.length ?? 0) > 0), {
      message: 'a select field needs options',
      path: ['fields'],
    }),
    z.refine((f) => f.fields.every((x) => x.type === 'card-number' || x.airlineCards === undefined), {
      message: 'airlineCards is for card-number fields only',
      path: ['fields'],
    }),
  );
export type FormDefinition = z.infer<typeof formDefinitionSchema>;
