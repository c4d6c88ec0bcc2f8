/**
 * Locale resolution and text direction, one implementation for the visitor's widget and the
 * agent's panel (each keeps its own @lit/localize runtime and generated strings). Plain string
 * work, no `Intl.Locale`: the host script's budget is counted in bytes, and a BCP 47 tag's first
 * subtag is all either question needs.
 */

/**
 * The locale of `supported` for a BCP 47 tag: the tag itself, else its language (`es-MX` → `es`),
 * else `fallback` (also for an empty or missing tag). Case and surrounding spaces are ignored.
 */
export function resolveLocale(tag: string | null | undefined, supported: readonly string[], fallback: string): string {
  const lower = (tag ?? '').trim().toLowerCase();
  const language = lower.split(/[-_]/)[0] ?? '';
  return supported.includes(lower) ? lower : supported.includes(language) ? language : fallback;
}

/** Text direction for a BCP 47 tag: right to left for Arabic, Hebrew (also `iw`), Persian and Urdu. */
export function directionOf(tag: string | null | undefined): 'rtl' | 'ltr' {
  return /^(ar|he|iw|fa|ur)(?:[-_]|$)/i.test((tag ?? '').trim()) ? 'rtl' : 'ltr';
}
