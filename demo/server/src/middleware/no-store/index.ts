/**
 * `Cache-Control: no-store` on every response under the path it is mounted on (the /v1 API):
 * one-time keys, tokens and sealed answers must never sit in a cache. Set after the handler so it
 * also overrides what a helper (e.g. streamSSE's `no-cache`) put there.
 */
import type { MiddlewareHandler } from 'hono';

export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
  };
}
