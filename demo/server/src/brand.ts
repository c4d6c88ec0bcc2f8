/**
 * The brand origin (http://localhost:PORT): the demo chat page, the agent workspace, and the
 * Secure Forms scripts a brand would host or load: the loader and the agent panel.
 */
import { Hono } from 'hono';
import { join } from 'node:path';
import { IMMUTABLE, REVALIDATE, sendFile, sendFromDir } from './http/static-files.js';
import type { Logger } from './logger.js';
import { cspReportRoute } from './middleware/csp-report/index.js';
import { documentCsp, securityHeaders } from './middleware/security-headers/index.js';

export interface BrandPaths {
  /** demo/pages/dist */
  pagesDist: string;
  /** packages/consumer-widget/dist/loader */
  loaderDist: string;
  /** packages/agent-panel/dist */
  panelDist: string;
}

/**
 * The policy of the demo pages: scripts and styles from this origin only, calls to this origin
 * (demo-config.json) and the PCI API, frames from the PCI origin only (the secure form), never
 * framed themselves, Trusted Types required (Lit's `lit-html` policy only).
 */
export function brandPageCsp(pciOrigin: string): string {
  return documentCsp({ connect: [pciOrigin], frames: [pciOrigin] });
}

export function createBrandApp(options: { paths: BrandPaths; pciOrigin: string; siteId: string; logger?: Logger }): Hono {
  const { paths } = options;
  const app = new Hono();
  app.use(securityHeaders());
  // Pages and the loader and panel keep their names across builds: revalidated by ETag. Vite's
  // assets and the locale chunks are named after a hash of their content: cached for good.
  const page = { 'Cache-Control': REVALIDATE, 'Content-Security-Policy': brandPageCsp(options.pciOrigin) };
  const noCache = { 'Cache-Control': REVALIDATE };
  app.get('/', (c) => sendFile(c, join(paths.pagesDist, 'index.html'), 'The demo chat page (demo/pages)', page));
  app.get('/agent', (c) => sendFile(c, join(paths.pagesDist, 'agent.html'), 'The demo agent workspace (demo/pages)', page));
  app.get('/assets/*', (c) => sendFromDir(c, join(paths.pagesDist, 'assets'), c.req.path.slice('/assets/'.length), IMMUTABLE));
  app.get('/secure-forms/loader.js', (c) =>
    sendFile(c, join(paths.loaderDist, 'secure-forms-loader.js'), 'The Secure Forms loader (packages/consumer-widget)', noCache),
  );
  app.get('/secure-forms/loader.iife.js', (c) =>
    sendFile(c, join(paths.loaderDist, 'secure-forms-loader.iife.js'), 'The Secure Forms loader (packages/consumer-widget)', noCache),
  );
  app.get('/secure-forms/panel.js', (c) =>
    sendFile(c, join(paths.panelDist, 'secure-form-panel.js'), 'The Secure Forms agent panel (packages/agent-panel)', noCache),
  );
  // The loader and the panel each load their lazily split locale chunks from ./locales/ beside
  // themselves. Chunk names carry a content hash, so the two folders cannot collide.
  app.get('/secure-forms/locales/*', (c) => {
    const name = c.req.path.slice('/secure-forms/locales/'.length);
    const fromPanel = sendFromDir(c, join(paths.panelDist, 'locales'), name, IMMUTABLE);
    return fromPanel.status === 404 ? sendFromDir(c, join(paths.loaderDist, 'locales'), name, IMMUTABLE) : fromPanel;
  });
  // No icon: say so without a 404 in every page's console.
  app.get('/favicon.ico', (c) => c.body(null, 204, { 'Cache-Control': 'max-age=86400' }));
  app.get('/demo-config.json', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ pciOrigin: options.pciOrigin, siteId: options.siteId });
  });
  if (options.logger) cspReportRoute(app, options.logger);
  app.notFound((c) => c.text('Not found', 404));
  return app;
}
