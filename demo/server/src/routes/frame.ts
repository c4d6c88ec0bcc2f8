/**
 * The form frame page on the PCI origin. `site` must be a configured site and `host` exactly one
 * of its brand origins; the page may be framed by those origins only (CSP frame-ancestors).
 *
 * The page runs under the strict document policy (see middleware/security-headers): scripts and
 * styles from the PCI origin only, Trusted Types required, API calls to its own origin, and
 * violations reported to its own /csp-report. Lit applies component styles through
 * adoptedStyleSheets, which style-src does not govern, so no 'unsafe-inline' is needed. The one
 * inline script, the page's first (the consumer widget's frame/ready.ts, inlined by its build so
 * that it needs no request of its own), is allowed by its SHA-256 hash, taken from the page as
 * served: no other inline script, and no changed one, can run.
 */
import type { Context, Hono } from 'hono';
import { join } from 'node:path';
import type { AppEnv } from '../http/context.js';
import { inlineScriptHashes } from '../http/inline-scripts.js';
import { IMMUTABLE, REVALIDATE, derivedFrom, sendFile, sendFromDir } from '../http/static-files.js';
import { documentCsp } from '../middleware/security-headers/index.js';
import type { Sites } from '../sites/schema.js';

/**
 * Cache-Control of the frame page. A second form in the same chat opens a new frame on the same
 * URL; reused from the browser's cache it costs no round trip before the frame's scripts run (on a
 * 150 ms network, half the time of that open). Five minutes, and only in the visitor's browser
 * (`private`, never a shared cache): what changes the page (a new build, a site's brand origins)
 * reaches a visitor at most that late, and the hashed scripts a cached page names are in the same
 * browser's cache (immutable), so a frame of the previous release may still open for those five
 * minutes after an upgrade: a release accepts it (docs/deployment.md, Releases).
 */
const FRAME_PAGE_CACHE = 'private, max-age=300';

/**
 * The frame page's policy: the strict document policy, framed by `brandOrigins` only, with the
 * page's inline scripts allowed by their hashes (`scriptHashes`, as http/inline-scripts.ts gives
 * them).
 */
export function frameCsp(brandOrigins: readonly string[], scriptHashes: readonly string[] = []): string {
  return documentCsp({ frameAncestors: brandOrigins, scriptHashes });
}

/**
 * The warm-up page's policy: no script, nothing to fetch but the frame's own scripts and
 * stylesheet (its preload links), framed by the same brand origins as the frame page.
 */
export function warmCsp(brandOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `frame-ancestors ${brandOrigins.join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

export function frameRoutes(app: Hono<AppEnv>, sites: Sites, frameDir: string): void {
  /** The site's brand origins when the query's `host` is one of them, else null (answered 400). */
  const brandOriginsOf = (c: Context) => {
    const site = sites.get(c.req.query('site') ?? '');
    return site?.brandOrigins.includes(c.req.query('host') ?? '') ? site.brandOrigins : null;
  };
  const unknownHost = (c: Context) => {
    c.header('Cache-Control', 'no-store');
    return c.text('This secure form cannot be shown here: the site or the host page is not one this service knows.', 400);
  };
  const page = (c: Context) => {
    const brandOrigins = brandOriginsOf(c);
    if (!brandOrigins) return unknownHost(c);
    const file = join(frameDir, 'index.html');
    return sendFile(c, file, 'The secure form frame (packages/consumer-widget)', {
      'Content-Security-Policy': frameCsp(brandOrigins, derivedFrom(file, inlineScriptHashes)),
      // The page is the same build output for every visitor (no data of theirs), and its policy
      // depends only on the URL's site and host: a browser reuses it for a while without asking
      // (FRAME_PAGE_CACHE says why and how long), then revalidates it by its ETag.
      'Cache-Control': FRAME_PAGE_CACHE,
    });
  };
  app.get('/frame/', page);
  // The warm-up page (the invitation loads it hidden before the click, see the consumer widget's
  // warm-frame.ts): the build output's warm.html, only preload links to the frame page's hashed
  // scripts and stylesheet. Same site and host check, and so the same frame-ancestors, as the
  // frame page; the same revalidated caching.
  app.get('/frame/warm', (c) => {
    const brandOrigins = brandOriginsOf(c);
    if (!brandOrigins) return unknownHost(c);
    return sendFile(c, join(frameDir, 'warm.html'), 'The secure form frame (packages/consumer-widget)', {
      'Content-Security-Policy': warmCsp(brandOrigins),
      'Cache-Control': REVALIDATE,
    });
  });
  app.get('/frame', (c) => {
    const url = new URL(c.req.url);
    return c.redirect(`/frame/${url.search}`, 301);
  });
  // Vite names every file in assets/ after a hash of its content.
  app.get('/frame/assets/*', (c) => sendFromDir(c, join(frameDir, 'assets'), c.req.path.slice('/frame/assets/'.length), IMMUTABLE));
}
