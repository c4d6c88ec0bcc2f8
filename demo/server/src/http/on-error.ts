/**
 * The last word on a request that threw: a refusal becomes its `{ error }` body and status (with
 * a `WWW-Authenticate` challenge on a 401), a database held by another process or a full Redis a
 * 503 with Retry-After, anything else a 500 whose log line names the kind of failure, never its message.
 */
import type { Context } from 'hono';
import { isRedisFull, REDIS_FULL_RETRY_AFTER_SECONDS } from '../ephemeral/redis-full.js';
import type { Logger } from '../logger.js';
import { isDatabaseBusy } from '../storage/busy.js';
import { isDatabaseUnavailable } from '../storage/unavailable.js';
import { authenticateChallenge } from './auth.js';
import { isApiRefusal, refuse, refuseWith, statusFor } from './errors.js';

/** The error handler of the PCI app and its /v1 sub-app. */
export function onError(logger: Logger) {
  return (error: Error, c: Context): Response => {
    if (isApiRefusal(error)) {
      if (statusFor(error.code) === 401) c.header('WWW-Authenticate', authenticateChallenge(error.code, c));
      return refuseWith(c, error);
    }
    if (isDatabaseBusy(error) || isDatabaseUnavailable(error)) {
      // Another process holds the database (a key rotation, a backup, a stuck lock), or PostgreSQL
      // is out of reach or too slow: say so, and when to try again, rather than fail as if
      // something broke. Nothing was stored.
      logger.warn({ errorName: error.name, code: (error as { code?: string }).code, path: c.req.path }, 'database busy');
      return refuse(c, 'INTERNAL', 'The service is busy. Nothing was changed. Try again in a moment.', 503, { 'Retry-After': '2' });
    }
    if (isRedisFull(error)) {
      // Redis reached maxmemory and refuses writes (noeviction: nothing is silently dropped). The
      // operator must give it room: an error in the log; the client a 503 and when to try again.
      // The audit line is the refusal's (SERVICE_BUSY). Nothing was stored: the writes before
      // the refused one are undone by their callers (submissions: the off-the-record part first).
      logger.error({ errorName: error.name, reason: 'redis-full', path: c.req.path }, 'Redis is full (maxmemory): a write was refused');
      return refuse(c, 'SERVICE_BUSY', 'The service cannot take more right now. Nothing was stored. Try again in a minute.', 503, {
        'Retry-After': String(REDIS_FULL_RETRY_AFTER_SECONDS),
      });
    }
    // Log the kind of failure, not its message: a library message could quote input.
    logger.error({ errorName: error.name, path: c.req.path }, 'unhandled error');
    return refuse(c, 'INTERNAL', 'Something went wrong on our side.', 500);
  };
}
