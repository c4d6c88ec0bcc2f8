/**
 * PostgreSQL out of reach: the server answers 503 with Retry-After (as for SQLite's held lock)
 * rather than 500, since nothing was written and trying again later may well succeed.
 */

/** SQLSTATE classes and codes meaning "the database cannot serve this now", not "this request is wrong". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57014', // query_canceled: the statement timeout
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '53300', // too_many_connections
  '40001', // serialization_failure
  '40P01', // deadlock_detected
]);

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'ENOTFOUND', 'EPIPE', 'EHOSTUNREACH', 'EAI_AGAIN']);

/** Whether `error` says PostgreSQL could not be reached or could not serve the statement in time. */
export function isDatabaseUnavailable(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || NETWORK_CODES.has(code))) return true;
  // pg's own messages for a pool that could not connect in time and a connection lost mid-query.
  return /^(timeout exceeded when trying to connect|Connection terminated)/.test(error.message);
}

/** `url` with its password (if any) replaced, for logs and error messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(an unparsable database URL)';
  }
}
