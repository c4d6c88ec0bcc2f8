/**
 * `Cache-Control: no-store` on every response under the path it is mounted on (the /v1 API):
 * one-time keys, tokens and sealed answers must never sit in a cache. Set after the handler so it
 * also overrides what a handler put there (e.g. the event streams' `no-cache`).
 */
import type { MiddlewareHandler } from 'hono';
import { setResponseHeader } from '../../http/response-headers.js';

export function noStore(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setResponseHeader(c, 'Cache-Control', 'no-store');
    setResponseHeader(c, 'Pragma', 'no-cache');
  };
}
