/**
 * Headers every response of both origins carries: no MIME sniffing, no Referer (a URL never holds
 * a secret, but the frame's query names the host page), no framing unless a route says so, no
 * cross-origin embedding (Cross-Origin-Resource-Policy), no powerful features (Permissions-Policy),
 * and HSTS when the request came over TLS (directly or through a trusted proxy, see http/client.ts).
 *
 * Documents (the demo pages, the frame page) carry a strict Content-Security-Policy built by
 * {@link documentCsp}: scripts and styles from the page's own origin only (no 'unsafe-inline', no
 * 'unsafe-eval'; an inline script only by its hash, as the frame page's first), Trusted Types required for every DOM script sink, and violations reported to
 * {@link CSP_REPORT_PATH} on the same origin. Every other response gets {@link LOCKED_DOWN_CSP}.
 */
import type { MiddlewareHandler } from 'hono';
import { isSecureRequest } from '../../http/client.js';
import { setResponseHeader } from '../../http/response-headers.js';

/** Where browsers send CSP violation reports (`report-uri`), on each origin. */
export const CSP_REPORT_PATH = '/csp-report';

/**
 * The Trusted Types policies the pages may create. Lit makes one named `lit-html`; the demo pages,
 * the loader and the panel each bundle their own Lit, hence 'allow-duplicates'.
 */
export const TRUSTED_TYPES_POLICIES = "lit-html 'allow-duplicates'";

/** For responses that are not documents (JSON, scripts, styles, errors): nothing may run or frame them. */
export const LOCKED_DOWN_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export interface DocumentCspOptions {
  /** Origins the document may call with fetch (besides its own). */
  connect?: readonly string[];
  /** Origins the document may frame; none when empty. */
  frames?: readonly string[];
  /** Origins that may frame the document; 'none' when empty. */
  frameAncestors?: readonly string[];
  /** Hash sources (`'sha256-…'`) of the inline scripts the document may run; none when empty. */
  scriptHashes?: readonly string[];
}

/** A strict policy for an HTML document of this service. */
export function documentCsp(options: DocumentCspOptions = {}): string {
  const list = (origins: readonly string[] | undefined, empty: string) => (origins && origins.length > 0 ? origins.join(' ') : empty);
  return [
    "default-src 'none'",
    `script-src ${["'self'", ...(options.scriptHashes ?? [])].join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...(options.connect ?? [])].join(' ')}`,
    `frame-src ${list(options.frames, "'none'")}`,
    `frame-ancestors ${list(options.frameAncestors, "'none'")}`,
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    "require-trusted-types-for 'script'",
    `trusted-types ${TRUSTED_TYPES_POLICIES}`,
    `report-uri ${CSP_REPORT_PATH}`,
  ].join('; ');
}

/** Whether a policy lets some origin frame the response. */
function allowsFraming(csp: string): boolean {
  const ancestors = /(?:^|;)\s*frame-ancestors\s+([^;]*)/.exec(csp)?.[1]?.trim();
  return ancestors !== undefined && ancestors !== "'none'";
}

/**
 * Powerful features no page of this service uses, turned off for it and anything it frames: a
 * script injected into the frame or a demo page cannot reach the camera, the microphone, the
 * location, payment handlers or devices. Only features Chromium knows (an unknown one logs a
 * console warning on every page).
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'magnetometer=()',
  'microphone=()',
  'payment=()',
  'usb=()',
].join(', ');

/** HSTS for a request that came over TLS: a year, subdomains included (PCI DSS 4.2.1). */
export const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    setResponseHeader(c, 'X-Content-Type-Options', 'nosniff');
    setResponseHeader(c, 'Referrer-Policy', 'no-referrer');
    setResponseHeader(c, 'Cross-Origin-Opener-Policy', 'same-origin');
    // No other origin may embed a response as a no-cors subresource (an <img>, a <script>): the
    // pages load their own scripts and styles, the API is called with CORS, and frames are navigations.
    setResponseHeader(c, 'Cross-Origin-Resource-Policy', 'same-origin');
    setResponseHeader(c, 'Permissions-Policy', PERMISSIONS_POLICY);
    // Only over TLS (RFC 6797 8.1: a UA ignores it over plain HTTP, and a plain demo must stay reachable).
    if (isSecureRequest(c)) setResponseHeader(c, 'Strict-Transport-Security', HSTS);
    const csp = c.res.headers.get('Content-Security-Policy');
    if (csp === null) setResponseHeader(c, 'Content-Security-Policy', LOCKED_DOWN_CSP);
    // The frame route names the origins that may frame it; everything else may not be framed.
    if (csp === null || !allowsFraming(csp)) setResponseHeader(c, 'X-Frame-Options', 'DENY');
  };
}
