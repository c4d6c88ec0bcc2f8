/**
 * The form frame page on the PCI origin. `site` must be a configured site and `host` exactly one
 * of its brand origins; the page may be framed by those origins only (CSP frame-ancestors).
 *
 * `style-src 'unsafe-inline'`: Lit applies component styles through adoptedStyleSheets, and falls
 * back to <style> elements where those are unsupported; inline styles carry no script, and
 * script-src stays 'self' only.
 */
import type { Context, Hono } from 'hono';
import { join } from 'node:path';
import type { AppEnv } from '../http/context.js';
import { sendFile, sendFromDir } from '../http/static-files.js';
import type { Sites } from '../sites/schema.js';

export function frameCsp(brandOrigins: readonly string[]): string {
  return [
    `frame-ancestors ${brandOrigins.join(' ')}`,
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "connect-src 'self'",
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
}

export function frameRoutes(app: Hono<AppEnv>, sites: Sites, frameDir: string): void {
  const page = async (c: Context) => {
    const site = sites.get(c.req.query('site') ?? '');
    const host = c.req.query('host') ?? '';
    if (!site || !site.brandOrigins.includes(host)) {
      c.header('Cache-Control', 'no-store');
      return c.text('This secure form cannot be shown here: the site or the host page is not one this service knows.', 400);
    }
    return sendFile(c, join(frameDir, 'index.html'), 'The secure form frame (packages/consumer-widget)', {
      'Content-Security-Policy': frameCsp(site.brandOrigins),
      'Cache-Control': 'no-store',
    });
  };
  app.get('/frame/', page);
  app.get('/frame', (c) => {
    const url = new URL(c.req.url);
    return c.redirect(`/frame/${url.search}`, 301);
  });
  app.get('/frame/assets/*', (c) => sendFromDir(c, join(frameDir, 'assets'), c.req.path.slice('/frame/assets/'.length)));
}
