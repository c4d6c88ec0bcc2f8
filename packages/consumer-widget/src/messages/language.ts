/**
 * The form definition's words in the visitor's language, or in English marked as English. A form
 * may translate some of its texts and not others; an English label read out with an Arabic voice
 * is hard to follow, so each fallback carries `lang="en"` (WCAG 3.1.2 Language of Parts).
 */
import { localize, type LocalizedText } from '@secure-forms/shared/form-rules';
import { html, type TemplateResult } from 'lit';

/** Whether `locale` (a BCP 47 tag) has no translation in `text`, so it shows in English. */
export function isFallback(text: LocalizedText, locale: string): boolean {
  const language = locale.split('-')[0] ?? '';
  if (language.toLowerCase() === 'en') return false;
  const t = typeof text === 'string' ? undefined : text.translations;
  return !t || (!Object.hasOwn(t, locale) && !Object.hasOwn(t, language));
}

/** `text` for `locale`; in a `<span lang="en">` when it falls back to English. */
export function inLanguage(text: LocalizedText, locale: string): string | TemplateResult {
  const value = localize(text, locale);
  return isFallback(text, locale) ? html`<span lang="en">${value}</span>` : value;
}

/**
 * Stands for the label while a message is translated, so the label can go back in as an element.
 * A private-use character: no message or label holds one.
 */
const LABEL = '\uE000';

/**
 * A translated message that names a field, with `label` (from {@link inLanguage}) in it: as text
 * when the label is in the visitor's language, else as its own `<span lang="en">` inside the
 * sentence ("أدخل <span lang="en">Billing postcode</span>"). The messages stay plain `str`
 * templates: `html` ones would put Lit into the locale modules, which the host script shares.
 */
export function withLabel(message: (label: string) => string, label: string | TemplateResult): string | TemplateResult {
  if (typeof label === 'string') return message(label);
  const [before = '', ...after] = message(LABEL).split(LABEL);
  return html`${before}${label}${after.join('')}`;
}
