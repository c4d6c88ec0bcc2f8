/**
 * Headers every response of both origins carries: no MIME sniffing, no Referer (a URL never holds
 * a secret, but the frame's query names the host page), and no framing unless a route says so.
 */
import type { MiddlewareHandler } from 'hono';

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    // The frame route sets its own frame-ancestors; everything else may not be framed.
    if (!c.res.headers.has('Content-Security-Policy')) {
      c.header('X-Frame-Options', 'DENY');
    }
  };
}
