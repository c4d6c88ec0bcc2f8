/**
 * CORS for the PCI API: only the brand origins configured for a site (and the PCI origin itself,
 * whose frame calls the API) may call it from a browser. A request from any other origin is
 * refused outright with ORIGIN_NOT_ALLOWED, preflight or not, and gets no CORS headers. Requests
 * without an Origin header (curl, server-side tools, same-origin GETs) are not affected.
 */
import type { MiddlewareHandler } from 'hono';
import { CONVERSATION_HEADER, SESSION_HEADER } from '@secure-forms/shared';
import { errorBody } from '../../http/errors.js';

export const ALLOWED_HEADERS = ['Authorization', 'Content-Type', SESSION_HEADER, CONVERSATION_HEADER];
const ALLOWED_METHODS = ['GET', 'POST', 'DELETE', 'OPTIONS'];

export function cors(allowedOrigins: () => ReadonlySet<string>): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('Origin');
    if (origin === undefined) {
      if (c.req.method === 'OPTIONS') return c.body(null, 204);
      return next();
    }
    if (!allowedOrigins().has(origin)) {
      return c.json(errorBody('ORIGIN_NOT_ALLOWED', 'This origin may not call the Secure Forms API.'), 403);
    }
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Methods', ALLOWED_METHODS.join(', '));
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
      c.header('Access-Control-Max-Age', '600');
      return c.body(null, 204);
    }
    await next();
    c.header('Access-Control-Allow-Origin', origin);
    c.header('Vary', 'Origin');
  };
}
