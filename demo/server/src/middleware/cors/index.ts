/**
 * CORS for the PCI API, per site. A browser may call the API from the brand origins configured for
 * a site, and from the PCI origin itself (its frame serves every site); a request from any other
 * origin is refused outright with ORIGIN_NOT_ALLOWED, preflight or not, and gets no CORS headers.
 * Requests without an Origin header (curl, server-side tools, same-origin GETs) are not affected.
 *
 * A preflight carries no credentials and no body, so it cannot say which site it is for: it is
 * answered for any site's brand origin. The actual request is checked against the site it turns
 * out to concern, where that becomes known: {@link requireSiteOrigin} when a session or a
 * conversation is authenticated (before anything is done), and once more when the answer is ready,
 * against the site the handler named for the audit line (the body's `siteId` at sign-in and
 * conversation start, the key's site on the frame's routes). An origin listed for site A gets no
 * CORS approval for site B's requests: 403 ORIGIN_NOT_ALLOWED, no Access-Control-Allow-Origin.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { CONVERSATION_HEADER, SESSION_HEADER } from '@secure-forms/shared';
import { isApiRefusal, refuse } from '../../http/errors.js';
import { Refusal } from '../../domain/refusal.js';
import { setResponseHeader } from '../../http/response-headers.js';

export const ALLOWED_HEADERS = ['Authorization', 'Content-Type', SESSION_HEADER, CONVERSATION_HEADER, 'Last-Event-ID'];
const ALLOWED_METHODS = ['GET', 'POST', 'DELETE', 'OPTIONS'];
/**
 * How long a browser may reuse a preflight's answer: two hours, the most Chromium honours (Firefox
 * allows a day). The answer names only origins, methods and headers, none of which change while
 * the server runs. A browser caches it per URL, so it spares repeated calls to the same URL only.
 */
export const PREFLIGHT_MAX_AGE_SECONDS = 7200;

/** Which origins may call the API, and for which sites. */
export interface CorsPolicy {
  /** Every origin that may call the API at all: the preflight allow-list. */
  origins: () => ReadonlySet<string>;
  /** Origins allowed for every site's requests (the PCI origin); the others only for their site's. */
  anySite?: ReadonlySet<string>;
  /** A site's brand origins; undefined for a site that does not exist. */
  siteOrigins?: (siteId: string) => readonly string[] | undefined;
}

const NOT_ALLOWED = 'This origin may not call the Secure Forms API.';
const NOT_FOR_SITE = "This origin is not one of this site's brand origins. Call the API from the site's own pages.";

/** Per request: whether its Origin may act on a site's resources (absent: no Origin, or no cors middleware). */
// Keyed by the request's context: Hono's bodyLimit replaces `c.req.raw` when it wraps a streamed body.
const siteGates = new WeakMap<Context, (siteId: string) => boolean>();

/**
 * Refuse the request with ORIGIN_NOT_ALLOWED when its Origin is not allowed for `siteId`. Call it
 * as soon as the site a request concerns is known, before acting on it.
 */
export function requireSiteOrigin(c: Context, siteId: string): void {
  const allowed = siteGates.get(c);
  if (allowed && !allowed(siteId)) throw new Refusal('ORIGIN_NOT_ALLOWED', NOT_FOR_SITE);
}

export function cors(policy: CorsPolicy | (() => ReadonlySet<string>)): MiddlewareHandler {
  const { origins, anySite, siteOrigins } = typeof policy === 'function' ? { origins: policy } : policy;
  return async (c, next) => {
    const origin = c.req.header('Origin');
    if (origin === undefined) {
      if (c.req.method === 'OPTIONS') return c.body(null, 204);
      return next();
    }
    if (!origins().has(origin)) {
      return refuse(c, 'ORIGIN_NOT_ALLOWED', NOT_ALLOWED, 403);
    }
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS') {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Allow-Methods', ALLOWED_METHODS.join(', '));
      c.header('Access-Control-Allow-Headers', ALLOWED_HEADERS.join(', '));
      c.header('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      return c.body(null, 204);
    }
    const allowedFor = (siteId: string) => !siteOrigins || anySite?.has(origin) === true || (siteOrigins(siteId) ?? []).includes(origin);
    siteGates.set(c, allowedFor);
    await next();
    // The site the handler named for the audit line, when the route had no earlier check point.
    const siteId = (c.get('audit') as { siteId?: string } | undefined)?.siteId;
    if (siteId !== undefined && !allowedFor(siteId)) {
      c.res = refuse(c, 'ORIGIN_NOT_ALLOWED', NOT_FOR_SITE, 403);
      c.res.headers.delete('Access-Control-Allow-Origin');
      return;
    }
    if (isApiRefusal(c.error) && c.error.code === 'ORIGIN_NOT_ALLOWED') return;
    setResponseHeader(c, 'Access-Control-Allow-Origin', origin);
  };
}
