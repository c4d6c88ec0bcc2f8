/** `value` when it is exactly a bare http(s) origin (no path, query or trailing slash), else null. */
export function bareOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.origin === value ? url.origin : null;
  } catch {
    return null;
  }
}
