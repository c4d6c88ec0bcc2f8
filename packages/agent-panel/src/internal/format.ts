/** Small display formatters for times and countdowns. */

/** `4:05` for 245 000 ms; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * A wall-clock time such as `14:03:27`, in `locale` (a supported locale, so `Intl` accepts it).
 * The times come from the backend's responses, which their schemas check as ISO date-times.
 */
export function formatTime(iso: string, locale: string): string {
  return new Date(iso).toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
