/**
 * Runtime localization (@lit/localize, runtime mode). English is built in; every other locale is a
 * generated module (`src/generated/locales/*.ts`, from `xliff/*.xlf` by `lit-localize build`)
 * loaded lazily with a dynamic import, so it costs nothing until a visitor needs it.
 */
import { configureLocalization } from '@lit/localize';
import { resolveLocale as resolveIn } from '@secure-forms/shared/locale';
import { sourceLocale, targetLocales } from './generated/locale-codes.js';

export { directionOf } from '@secure-forms/shared/locale';

type Target = (typeof targetLocales)[number];

const loaders: Record<Target, () => Promise<import('@lit/localize').LocaleModule>> = {
  es: () => import('./generated/locales/es.js'),
  fr: () => import('./generated/locales/fr.js'),
  de: () => import('./generated/locales/de.js'),
  ar: () => import('./generated/locales/ar.js'),
};

const { getLocale, setLocale } = configureLocalization({
  sourceLocale,
  targetLocales,
  loadLocale: (locale) => loaders[locale as Target](),
});

/** The supported locale for a BCP 47 tag (`es-MX` → `es`), English when unsupported or empty. */
export function resolveLocale(tag: string | null | undefined): string {
  return resolveIn(tag, targetLocales, sourceLocale);
}

/**
 * The `lang` attribute for a tag: the tag itself when it has a language tag's shape (`de-CH`),
 * else the locale shown. WebKitGTK reports `navigator.language` from the process locale, which
 * can be `C` — no language (WCAG 3.1.1 needs a valid one).
 */
export function languageAttribute(tag: string): string {
  return /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : resolveLocale(tag);
}

/** Switch every localized element to `tag`'s best locale; a failed load leaves English. */
export async function useLocale(tag: string | null | undefined): Promise<void> {
  const locale = resolveLocale(tag);
  if (locale === getLocale()) return;
  try {
    await setLocale(locale);
  } catch {
    await setLocale(sourceLocale).catch(() => undefined);
  }
}

export { getLocale };
