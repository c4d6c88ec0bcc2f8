/**
 * One log line per request: method, path, status and duration. Never headers, query or body: the
 * credentials travel in headers, and paths hold ids only.
 */
import type { MiddlewareHandler } from 'hono';
import type { Logger } from '../../logger.js';

export function requestLog(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = { method: c.req.method, path: c.req.path, status, ms: Math.round(performance.now() - started) };
    if (status >= 500) logger.error(line, 'request failed');
    else logger.info(line, 'request');
  };
}
