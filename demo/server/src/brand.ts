/**
 * The brand origin (http://localhost:PORT): the demo chat page, the agent workspace, and the
 * Secure Forms scripts a brand would host or load: the loader and the agent panel.
 */
import { Hono } from 'hono';
import { join } from 'node:path';
import { sendFile, sendFromDir } from './http/static-files.js';
import { securityHeaders } from './middleware/security-headers/index.js';

export interface BrandPaths {
  /** demo/pages/dist */
  pagesDist: string;
  /** packages/consumer-widget/dist/loader */
  loaderDist: string;
  /** packages/agent-panel/dist */
  panelDist: string;
}

export function createBrandApp(options: { paths: BrandPaths; pciOrigin: string; siteId: string }): Hono {
  const { paths } = options;
  const app = new Hono();
  app.use(securityHeaders());
  const noCache = { 'Cache-Control': 'no-cache' };
  app.get('/', (c) => sendFile(c, join(paths.pagesDist, 'index.html'), 'The demo chat page (demo/pages)', noCache));
  app.get('/agent', (c) => sendFile(c, join(paths.pagesDist, 'agent.html'), 'The demo agent workspace (demo/pages)', noCache));
  app.get('/assets/*', (c) => sendFromDir(c, join(paths.pagesDist, 'assets'), c.req.path.slice('/assets/'.length)));
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
  app.get('/secure-forms/locales/*', async (c) => {
    const name = c.req.path.slice('/secure-forms/locales/'.length);
    const fromPanel = await sendFromDir(c, join(paths.panelDist, 'locales'), name);
    return fromPanel.status === 404 ? sendFromDir(c, join(paths.loaderDist, 'locales'), name) : fromPanel;
  });
  app.get('/demo-config.json', (c) => {
    c.header('Cache-Control', 'no-store');
    return c.json({ pciOrigin: options.pciOrigin, siteId: options.siteId });
  });
  app.notFound((c) => c.text('Not found', 404));
  return app;
}
