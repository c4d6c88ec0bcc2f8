/** Small display formatters for times and countdowns. */

/** `4:05` for 245 000 ms; never negative. */
export function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return `${minutes}:${String(seconds).padStart(2, '0')}`;
}

/** A wall-clock time such as `14:03:27`, in `locale`. Invalid input yields an empty string. */
export function formatTime(iso: string | number, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  try {
    return new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(date);
  } catch {
    return date.toISOString().slice(11, 19);
  }
}
