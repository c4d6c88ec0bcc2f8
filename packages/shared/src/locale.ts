/**
 * Locale resolution and text direction, one implementation for the visitor's widget and the
 * agent's panel (each keeps its own @lit/localize runtime and generated strings). Plain string
 * work, no `Intl.Locale`: the host script's budget is counted in bytes, and a BCP 47 tag's first
 * subtag is all either question needs.
 */

/** The locale the products are written in; its strings are built into each bundle. */
export const SOURCE_LOCALE = 'en';
/**
 * The other locales of the visitor's widget and the agent's panel, as each package's
 * `lit-localize.json` lists them (a test compares them); each is loaded when first used.
 */
export const TARGET_LOCALES = ['ar', 'de', 'es', 'fr'] as const;
/** One of `TARGET_LOCALES`. */
export type TargetLocale = (typeof TARGET_LOCALES)[number];

/**
 * The locale of `supported` for a BCP 47 tag: the tag itself, else its language (`es-MX` → `es`),
 * else `fallback` (also for an empty or missing tag). Case and surrounding spaces are ignored.
 * Without a list, the widget's and the panel's locales and English.
 */
export function resolveLocale(
  tag: string | null | undefined,
  supported: readonly string[] = TARGET_LOCALES,
  fallback: string = SOURCE_LOCALE,
): string {
  const lower = (tag ?? '').trim().toLowerCase();
  const language = lower.split(/[-_]/)[0] ?? '';
  return supported.includes(lower) ? lower : supported.includes(language) ? language : fallback;
}

/** Text direction for a BCP 47 tag: right to left for Arabic, Hebrew (also `iw`), Persian and Urdu. */
export function directionOf(tag: string | null | undefined): 'rtl' | 'ltr' {
  return /^(ar|he|iw|fa|ur)(?:[-_]|$)/i.test((tag ?? '').trim()) ? 'rtl' : 'ltr';
}
