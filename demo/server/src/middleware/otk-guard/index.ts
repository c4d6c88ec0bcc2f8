/**
 * Guessing one-time keys is rate-limited per client address: every request whose one-time key is
 * refused (OTK_MISSING for a malformed key, OTK_INVALID, OTK_USED, OTK_EXPIRED, OTK_WRONG_ACTION,
 * OTK_WRONG_BINDING) counts; after `perAddress` of them in `windowSeconds`, every request from
 * that address that carries an Authorization header is refused with 429 RATE_LIMITED and
 * Retry-After until the window ends — before its key is looked at, so a valid key presented
 * while limited is not spent. With 256-bit keys a guess never succeeds anyway; the limit keeps
 * guessing (and the audit log) from flooding the service. One process, in memory; behind a
 * proxy the address would come from the proxy's trusted header, and across processes from Redis.
 */
import type { MiddlewareHandler } from 'hono';
import { RateLimiter } from '../../accounts/rate-limit.js';
import { clientAddress } from '../../http/client.js';
import type { AppEnv } from '../../http/context.js';
import { ApiError } from '../../http/errors.js';

export interface OtkFailureLimit {
  perAddress: number;
  windowSeconds: number;
}

export const DEFAULT_OTK_FAILURE_LIMIT: OtkFailureLimit = { perAddress: 30, windowSeconds: 60 };

export function otkGuard(limit: OtkFailureLimit, clock: () => number): MiddlewareHandler<AppEnv> {
  const limiter = new RateLimiter(clock);
  const windowMs = limit.windowSeconds * 1000;
  return async (c, next) => {
    if (c.req.header('Authorization') === undefined) return next();
    const key = `otk:${clientAddress(c)}`;
    const wait = limiter.peek(key, limit.perAddress, windowMs);
    if (wait > 0)
      throw new ApiError(
        'RATE_LIMITED',
        'Too many one-time keys were refused from this address. Wait a moment, then try again.',
      ).retryAfter(wait);
    await next();
    if (c.error instanceof ApiError && c.error.code.startsWith('OTK_')) limiter.hit(key, limit.perAddress, windowMs);
  };
}
