import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';

function builtFrame(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sf-frame-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><title>Secure form</title><script type="module" src="./assets/frame.js"></script>',
  );
  writeFileSync(join(dir, 'assets', 'frame.js'), 'export {};');
  return dir;
}

const url = (host: string, site = 'demo') => `/frame/?site=${site}&host=${encodeURIComponent(host)}`;

describe('the frame page', () => {
  it('may be framed by the site brand origins only', async () => {
    const h = await harness({ paths: { frameDist: builtFrame() } });
    const res = await h.app.pci.request(url('http://localhost:8080'));
    expect(res.status).toBe(200);
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    expect(csp).toContain('frame-ancestors http://localhost:8080 http://127.0.0.1:8080;');
    for (const d of [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "require-trusted-types-for 'script'",
      'report-uri /csp-report',
    ]) {
      expect(csp).toContain(d);
    }
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(res.headers.get('X-Frame-Options')).toBeNull();
    expect(await res.text()).toContain('Secure form');
  });

  it('refuses an unknown host or site with 400', async () => {
    const h = await harness({ paths: { frameDist: builtFrame() } });
    expect((await h.app.pci.request(url('https://evil.example'))).status).toBe(400);
    expect((await h.app.pci.request(url('http://localhost:8080/'))).status).toBe(400);
    expect((await h.app.pci.request(url('http://localhost:8080', 'other'))).status).toBe(400);
    expect((await h.app.pci.request('/frame/')).status).toBe(400);
  });

  it('serves its assets, and nothing outside them', async () => {
    const h = await harness({ paths: { frameDist: builtFrame() } });
    const js = await h.app.pci.request('/frame/assets/frame.js');
    expect(js.status).toBe(200);
    expect(js.headers.get('Content-Type')).toContain('text/javascript');
    expect((await h.app.pci.request('/frame/assets/..%2Findex.html')).status).toBe(404);
    expect((await h.app.pci.request('/frame/assets/missing.js')).status).toBe(404);
  });

  it('says to run npm run build when the frame is not built', async () => {
    const h = await harness();
    const res = await h.app.pci.request(url('http://localhost:8080'));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});
