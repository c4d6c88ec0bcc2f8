/**
 * The panel's runtime localization, the same locales as the visitor's widget (the shared
 * `runtimeLocalization`). English is built in; every other locale is a generated module
 * (`src/generated/locales/*.ts`, from `xliff/*.xlf` by `lit-localize build`) loaded lazily with a
 * dynamic import, so it costs nothing until an agent needs it.
 */
import { runtimeLocalization } from '@secure-forms/shared/localization';

export { directionOf, resolveLocale } from '@secure-forms/shared/locale';

/** Switches every localized element of the panel to a tag's locale; a failed load leaves English. */
export const useLocale = runtimeLocalization({
  es: () => import('../generated/locales/es.js'),
  fr: () => import('../generated/locales/fr.js'),
  de: () => import('../generated/locales/de.js'),
  ar: () => import('../generated/locales/ar.js'),
});
