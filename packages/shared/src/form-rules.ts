/**
 * What a checked form definition means, as plain functions: its text in the visitor's language,
 * the off-the-record rule, its reference. No zod (the schemas are in `form-definition.ts`, which
 * re-exports these): the form frame imports this module alone (`@secure-forms/shared/form-rules`),
 * and a module that imports zod leaves zod's set-up in a bundle even when none of its schemas is used.
 */
import { fieldTypeSpec } from './field-types.js';
import type { FieldDefinition, FormDefinition, LocalizedText } from './form-definition.js';

export type { FieldDefinition, FormDefinition, LocalizedText };

/**
 * Pick the best translation for `locale` (exact tag, then its language), else English. Own
 * members only: a locale named `constructor` or `toString` must not find `Object.prototype`'s.
 */
export function localize(text: LocalizedText, locale = 'en'): string {
  if (typeof text === 'string') return text;
  const t = text.translations;
  const own = (tag: string) => (t && Object.hasOwn(t, tag) ? t[tag] : undefined);
  return own(locale) ?? own(locale.split('-')[0] ?? '') ?? text.en;
}

/** Whether a field's answer must stay off the record. */
export function isOffTheRecord(field: Pick<FieldDefinition, 'type' | 'offTheRecord'>): boolean {
  return field.offTheRecord || fieldTypeSpec(field.type).alwaysOffTheRecord === true;
}

/** `card-payment@3`: the form and version an answer was given to. */
export function formRef(form: Pick<FormDefinition, 'id' | 'version'>): string {
  return `${form.id}@${form.version}`;
}
