/**
 * The runtime localization of a browser package (@lit/localize, runtime mode), one implementation
 * for the visitor's widget and the agent's panel. Each package keeps its own message catalogue and
 * generated locale modules, so it passes its own lazy loaders (a dynamic import per locale, which
 * costs nothing until someone needs that locale); each bundle gets its own @lit/localize runtime.
 * The locales and the choice of one for a tag are in `./locale`.
 */
import { configureLocalization, type LocaleModule } from '@lit/localize';
import { resolveLocale, SOURCE_LOCALE, TARGET_LOCALES, type TargetLocale } from './locale.js';

/**
 * Configures @lit/localize for a package (once: lit-localize's own rule): English is built in,
 * each other locale is loaded by its loader when first used. Returns the package's `useLocale`,
 * which switches every localized element of the package to a BCP 47 tag's supported locale
 * (`resolveLocale`); a failed load leaves English.
 */
export function runtimeLocalization(
  loaders: Record<TargetLocale, () => Promise<LocaleModule>>,
): (tag: string | null | undefined) => Promise<void> {
  const { getLocale, setLocale } = configureLocalization({
    sourceLocale: SOURCE_LOCALE,
    targetLocales: TARGET_LOCALES,
    loadLocale: (locale) => loaders[locale as TargetLocale](),
  });
  return async (tag) => {
    const locale = resolveLocale(tag);
    if (locale === getLocale()) return;
    try {
      await setLocale(locale);
    } catch {
      await setLocale(SOURCE_LOCALE).catch(() => undefined);
    }
  };
}
