/**
 * The widget's runtime localization (the shared `runtimeLocalization`). English is built in; every
 * other locale is a generated module (`src/generated/locales/*.ts`, from `xliff/*.xlf` by
 * `lit-localize build`) loaded lazily with a dynamic import, so it costs nothing until a visitor
 * needs it.
 */
import { resolveLocale } from '@secure-forms/shared/locale';
import { runtimeLocalization } from '@secure-forms/shared/localization';

export { directionOf, resolveLocale } from '@secure-forms/shared/locale';

/** Switches every localized element of the widget to a tag's locale; a failed load leaves English. */
export const useLocale = runtimeLocalization({
  es: () => import('./generated/locales/es.js'),
  fr: () => import('./generated/locales/fr.js'),
  de: () => import('./generated/locales/de.js'),
  ar: () => import('./generated/locales/ar.js'),
});

/**
 * The `lang` attribute for a tag: the tag itself when it has a language tag's shape (`de-CH`),
 * else the locale shown. WebKitGTK reports `navigator.language` from the process locale, which
 * can be `C` — no language (WCAG 3.1.1 needs a valid one).
 */
export function languageAttribute(tag: string): string {
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : resolveLocale(tag);
}
