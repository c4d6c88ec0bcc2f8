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
  return own(locale) ?? own(languageOf(locale)) ?? text.en;
}

/** A tag's language: what {@link localize} looks for after the tag itself. */
const languageOf = (locale: string) => locale.split('-')[0] ?? '';

/**
 * `text` with only the translations {@link localize} can pick for `locale`, and no `translations`
 * when none is left: the same text in that locale, without the languages nobody will read.
 */
export function textForLocale(text: LocalizedText, locale: string): LocalizedText {
  if (typeof text === 'string' || !text.translations) return text;
  const t = text.translations;
  const kept = Object.fromEntries([locale, languageOf(locale)].flatMap((tag) => (Object.hasOwn(t, tag) ? [[tag, t[tag]!]] : [])));
  return Object.keys(kept).length > 0 ? { en: text.en, translations: kept } : { en: text.en };
}

/**
 * The form with each of its texts (title, description, labels, hints, the options' labels) kept
 * to `locale` by {@link textForLocale}: what the frame, which shows one locale, needs of it.
 */
export function formForLocale(form: FormDefinition, locale: string): FormDefinition {
  const text = (t: LocalizedText) => textForLocale(t, locale);
  return {
    ...form,
    title: text(form.title),
    ...(form.description === undefined ? {} : { description: text(form.description) }),
    fields: form.fields.map((field) => ({
      ...field,
      label: text(field.label),
      ...(field.hint === undefined ? {} : { hint: text(field.hint) }),
      ...(field.options === undefined ? {} : { options: field.options.map((o) => ({ ...o, label: text(o.label) })) }),
    })),
  };
}

/** Whether a field's answer must stay off the record. */
export function isOffTheRecord(field: Pick<FieldDefinition, 'type' | 'offTheRecord'>): boolean {
  return field.offTheRecord || fieldTypeSpec(field.type).alwaysOffTheRecord === true;
}

/** `card-payment@3`: the form and version an answer was given to. */
export function formRef(form: Pick<FormDefinition, 'id' | 'version'>): string {
  return `${form.id}@${form.version}`;
}
