/**
 * Setting a header on a response that a handler has already built.
 *
 * Hono's `c.header()` after `await next()` copies the whole Response (a new Response over the same
 * body) before it sets the header, because a Response may have immutable headers; with the
 * security headers, no-store and CORS middlewares that was 7-9 copies per API response. The
 * responses of this server are built by Hono (`c.json`, `c.body`) and have mutable headers, so the
 * header is set in place; a response whose headers are immutable still goes through `c.header()`.
 */
import type { Context } from 'hono';

/** Set `name` on the response `c` holds now, in place when its headers allow it. */
export function setResponseHeader(c: Context, name: string, value: string): void {
  try {
    c.res.headers.set(name, value);
  } catch {
    c.header(name, value);
  }
}
