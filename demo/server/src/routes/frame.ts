/**
 * The form frame page on the PCI origin. `site` must be a configured site and `host` exactly one
 * of its brand origins; the page may be framed by those origins only (CSP frame-ancestors).
 *
 * The page runs under the strict document policy (see middleware/security-headers): scripts and
 * styles from the PCI origin only, Trusted Types required, API calls to its own origin, and
 * violations reported to its own /csp-report. Lit applies component styles through
 * adoptedStyleSheets, which style-src does not govern, so no 'unsafe-inline' is needed.
 */
import type { Context, Hono } from 'hono';
import { join } from 'node:path';
import type { AppEnv } from '../http/context.js';
import { IMMUTABLE, REVALIDATE, sendFile, sendFromDir } from '../http/static-files.js';
import { documentCsp } from '../middleware/security-headers/index.js';
import type { Sites } from '../sites/schema.js';

export function frameCsp(brandOrigins: readonly string[]): string {
  return documentCsp({ frameAncestors: brandOrigins });
}

export function frameRoutes(app: Hono<AppEnv>, sites: Sites, frameDir: string): void {
  const page = (c: Context) => {
    const site = sites.get(c.req.query('site') ?? '');
    const host = c.req.query('host') ?? '';
    if (!site || !site.brandOrigins.includes(host)) {
      c.header('Cache-Control', 'no-store');
      return c.text('This secure form cannot be shown here: the site or the host page is not one this service knows.', 400);
    }
    return sendFile(c, join(frameDir, 'index.html'), 'The secure form frame (packages/consumer-widget)', {
      'Content-Security-Policy': frameCsp(site.brandOrigins),
      // The page is the same build output for every visitor (no data of theirs): revalidated by
      // its ETag, so an unchanged page costs a 304 and the hashed scripts come from the cache.
      'Cache-Control': REVALIDATE,
    });
  };
  app.get('/frame/', page);
  app.get('/frame', (c) => {
    const url = new URL(c.req.url);
    return c.redirect(`/frame/${url.search}`, 301);
  });
  // Vite names every file in assets/ after a hash of its content.
  app.get('/frame/assets/*', (c) => sendFromDir(c, join(frameDir, 'assets'), c.req.path.slice('/frame/assets/'.length), IMMUTABLE));
}
