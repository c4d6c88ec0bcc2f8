import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBrandApp } from './brand.js';
import { createLogger } from './logger.js';

function dir(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'sf-brand-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  return root;
}

describe('the brand app', () => {
  const pages = dir({ 'index.html': '<title>chat</title>', 'agent.html': '<title>agent</title>', 'assets/app.js': 'export {};' });
  const loader = dir({ 'secure-forms-loader.js': '// es', 'secure-forms-loader.iife.js': '// iife', 'locales/ar-L1.js': '// loader ar' });
  const panel = dir({ 'secure-form-panel.js': '// panel', 'locales/ar-P1.js': '// panel ar' });
  const app = createBrandApp({
    paths: { pagesDist: pages, loaderDist: loader, panelDist: panel },
    pciOrigin: 'http://127.0.0.1:9443',
    siteId: 'demo',
  });

  it('serves the pages, assets, loader and panel', async () => {
    expect(await (await app.request('/')).text()).toContain('chat');
    expect(await (await app.request('/agent')).text()).toContain('agent');
    expect((await app.request('/assets/app.js')).headers.get('Content-Type')).toContain('javascript');
    expect(await (await app.request('/secure-forms/loader.js')).text()).toBe('// es');
    expect(await (await app.request('/secure-forms/loader.iife.js')).text()).toBe('// iife');
    expect(await (await app.request('/secure-forms/panel.js')).text()).toBe('// panel');
  });

  it('serves the locale chunks of both the loader and the panel, and nothing outside them', async () => {
    expect(await (await app.request('/secure-forms/locales/ar-L1.js')).text()).toBe('// loader ar');
    expect(await (await app.request('/secure-forms/locales/ar-P1.js')).text()).toBe('// panel ar');
    expect((await app.request('/secure-forms/locales/missing.js')).status).toBe(404);
    expect((await app.request('/secure-forms/locales/..%2Fsecure-form-panel.js')).status).toBe(404);
  });

  it('serves the pages under a strict policy: own scripts and styles, the PCI origin for calls and frames, Trusted Types', async () => {
    for (const path of ['/', '/agent']) {
      const csp = (await app.request(path)).headers.get('Content-Security-Policy') ?? '';
      expect(csp).toContain("script-src 'self';");
      expect(csp).toContain("style-src 'self';");
      expect(csp).toContain("connect-src 'self' http://127.0.0.1:9443");
      expect(csp).toContain('frame-src http://127.0.0.1:9443');
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("require-trusted-types-for 'script'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    }
    expect((await app.request('/favicon.ico')).status).toBe(204);
  });

  it('takes CSP violation reports when it has a logger', async () => {
    const lines: string[] = [];
    const logged = createBrandApp({
      paths: { pagesDist: pages, loaderDist: loader, panelDist: panel },
      pciOrigin: 'http://127.0.0.1:9443',
      siteId: 'demo',
      logger: createLogger({ destination: { write: (s: string) => void lines.push(s) } }),
    });
    const report = {
      'csp-report': { 'document-uri': 'http://localhost:8080/', 'effective-directive': 'script-src-elem', 'blocked-uri': 'inline' },
    };
    expect((await logged.request('/csp-report', { method: 'POST', body: JSON.stringify(report) })).status).toBe(204);
    expect(lines.some((l) => l.includes('"csp violation"') && l.includes('script-src-elem'))).toBe(true);
  });

  it('tells the pages where the PCI origin is', async () => {
    expect(await (await app.request('/demo-config.json')).json()).toEqual({ pciOrigin: 'http://127.0.0.1:9443', siteId: 'demo' });
  });

  it('answers 503 with a build hint for files not built yet', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'sf-empty-'));
    const bare = createBrandApp({
      paths: { pagesDist: empty, loaderDist: empty, panelDist: empty },
      pciOrigin: 'http://127.0.0.1:9443',
      siteId: 'demo',
    });
    for (const path of ['/', '/agent', '/secure-forms/loader.js', '/secure-forms/panel.js']) {
      const res = await bare.request(path);
      expect(res.status).toBe(503);
      expect(await res.text()).toContain('npm run build');
    }
  });
});
