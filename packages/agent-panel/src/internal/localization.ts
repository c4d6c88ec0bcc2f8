/**
 * Runtime localization (@lit/localize, runtime mode), the same locales as the visitor's widget.
 * English is built in; every other locale is a generated module (`src/generated/locales/*.ts`,
 * from `xliff/*.xlf` by `lit-localize build`) loaded lazily with a dynamic import, so it costs
 * nothing until an agent needs it.
 */
import { configureLocalization, type LocaleModule } from '@lit/localize';
import { resolveLocale as resolveIn } from '@secure-forms/shared/locale';
import { sourceLocale, targetLocales } from '../generated/locale-codes.js';

export { directionOf } from '@secure-forms/shared/locale';

type Target = (typeof targetLocales)[number];

const loaders: Record<Target, () => Promise<LocaleModule>> = {
  es: () => import('../generated/locales/es.js'),
  fr: () => import('../generated/locales/fr.js'),
  de: () => import('../generated/locales/de.js'),
  ar: () => import('../generated/locales/ar.js'),
};

const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => loaders[locale as Target](),
});

/** The supported locale for a BCP 47 tag (`es-MX` → `es`); English when unsupported or empty. */
export function resolveLocale(tag: string | null | undefined): string {
  return resolveIn(tag, targetLocales, sourceLocale);
}

/** Switch every localized element to `locale` (already resolved); a failed load leaves English. */
export async function useLocale(locale: string): Promise<void> {
  if (locale === getLocale()) return;
  try {
    await setLocale(locale);
  } catch {
    await setLocale(sourceLocale).catch(() => undefined);
  }
}
