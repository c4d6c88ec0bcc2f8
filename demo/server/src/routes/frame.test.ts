import { createHash } from 'node:crypto';
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
  writeFileSync(
    join(dir, 'warm.html'),
    '<!doctype html><title>Secure form</title><link rel="preload" as="script" crossorigin href="/frame/assets/frame.js">',
  );
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

  it("allows the page's inline first script by the hash of exactly its text, and no other inline script", async () => {
    const dir = builtFrame();
    const first = 'window.firstScript = "ran";';
    const page = (script: string) =>
      `<!doctype html><title>Secure form</title><script>${script}</script><script type="module" src="./assets/frame.js"></script>`;
    writeFileSync(join(dir, 'index.html'), page(first));
    const h = await harness({ paths: { frameDist: dir } });
    const scriptSrc = async () =>
      /(?:^|;)\s*script-src ([^;]*)/.exec(
        (await h.app.pci.request(url('http://localhost:8080'))).headers.get('Content-Security-Policy') ?? '',
      )?.[1];
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(await scriptSrc()).toBe(`'self' ${hash(first)}`);

    // A rebuilt page is served with its own script's hash, without a restart (the file's size changes with it).
    const rebuilt = 'window.firstScript = "ran again";';
    writeFileSync(join(dir, 'index.html'), page(rebuilt));
    expect(await scriptSrc()).toBe(`'self' ${hash(rebuilt)}`);
    // A page without one allows none.
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><title>Secure form</title><script type="module" src="./assets/frame.js"></script>',
    );
    expect(await scriptSrc()).toBe("'self'");
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

const warmUrl = (host: string, site = 'demo') => `/frame/warm?site=${site}&host=${encodeURIComponent(host)}`;

describe('the warm-up page', () => {
  it('runs nothing, fetches only its own scripts and styles, and may be framed exactly where the frame page may', async () => {
    const h = await harness({ paths: { frameDist: builtFrame() } });
    const res = await h.app.pci.request(warmUrl('http://localhost:8080'));
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toContain('text/html');
    const csp = res.headers.get('Content-Security-Policy') ?? '';
    const page = (await h.app.pci.request(url('http://localhost:8080'))).headers.get('Content-Security-Policy') ?? '';
    const ancestors = (policy: string) => /frame-ancestors [^;]*/.exec(policy)?.[0];
    expect(ancestors(csp)).toBe('frame-ancestors http://localhost:8080 http://127.0.0.1:8080');
    expect(ancestors(csp)).toBe(ancestors(page));
    // Its preload links need script-src and style-src; nothing else may load, and nothing runs:
    // a preloaded script is fetched, never executed, and there is no script element.
    expect(csp.split(';').map((d) => d.trim())).toEqual([
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      'frame-ancestors http://localhost:8080 http://127.0.0.1:8080',
      "base-uri 'none'",
      "form-action 'none'",
    ]);
    expect(res.headers.get('X-Frame-Options')).toBeNull();
    expect(res.headers.get('Cache-Control')).toBe('no-cache');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(res.headers.get('Permissions-Policy')).toContain('camera=()');
    expect(await res.text()).not.toMatch(/<script/i);
  });

  it('refuses an unknown host or site with 400, uncached, and may then be framed by nobody', async () => {
    const h = await harness({ paths: { frameDist: builtFrame() } });
    for (const path of [warmUrl('https://evil.example'), warmUrl('http://localhost:8080', 'other'), '/frame/warm']) {
      const res = await h.app.pci.request(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get('Cache-Control'), path).toBe('no-store');
      expect(res.headers.get('X-Frame-Options'), path).toBe('DENY');
      expect(res.headers.get('Content-Security-Policy'), path).toContain("frame-ancestors 'none'");
    }
  });

  it('answers GET only', async () => {
    const h = await harness({ paths: { frameDist: builtFrame() } });
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const res = await h.app.pci.request(warmUrl('http://localhost:8080'), { method });
      expect(res.status, method).toBe(404);
      expect(res.headers.get('X-Frame-Options'), method).toBe('DENY');
    }
  });

  it('says to run npm run build when the frame is not built', async () => {
    const h = await harness();
    const res = await h.app.pci.request(warmUrl('http://localhost:8080'));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('npm run build');
  });
});

describe('the frame bundle under a flood of sign-ins', () => {
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

  it('is served within twice its quiet time while 400 anonymous sign-ins hash passwords', async () => {
    const dir = builtFrame();
    // About the size of the real frame bundle.
    writeFileSync(join(dir, 'assets', 'frame.js'), `export const pad = '${'x'.repeat(110_000)}';`);
    const h = await harness({ paths: { frameDist: dir } });
    const fetchBundle = async () => {
      const started = performance.now();
      const res = await h.app.pci.request('/frame/assets/frame.js');
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(110_000);
      return performance.now() - started;
    };
    const times = async (n: number) => {
      const out: number[] = [];
      for (let i = 0; i < n; i++) out.push(await fetchBundle());
      return out;
    };
    // Warm up: the file cache, and the dummy hash that unknown usernames are checked against.
    await times(3);
    await h.request('/v1/sessions', { body: { siteId: 'demo', username: 'nobody', password: 'guess-guess-1' }, address: '10.8.0.1' });
    const quiet = median(await times(9));
    // 400 unknown usernames, 20 per address: under every per-address limit (30 a minute).
    const flood = Array.from({ length: 400 }, async (_, i) =>
      h.request('/v1/sessions', {
        body: { siteId: 'demo', username: `nobody-${i}`, password: 'guess-guess-1' },
        address: `10.9.${Math.floor(i / 20)}.${i % 20}`,
      }),
    );
    let settled = false;
    let answered = 0;
    for (const f of flood) void f.then(() => answered++);
    const all = Promise.all(flood).finally(() => (settled = true));
    // Measure the hashing, not the cost of dispatching 400 requests inside this process: wait
    // until those refused at once have their answer (or 2 s have passed).
    for (const deadline = Date.now() + 2000; answered < 380 && !settled && Date.now() < deadline;) {
      await new Promise((r) => setTimeout(r, 5));
    }
    // Fetch the bundle again and again while the flood lasts.
    const samples: number[] = [];
    while (!settled || samples.length < 5) {
      samples.push(await fetchBundle());
      await new Promise((r) => setImmediate(r));
    }
    // The mean: one fetch stuck behind the hashing for seconds is what a visitor would wait.
    const during = samples.reduce((a, b) => a + b, 0) / samples.length;
    const answers = await all;
    const statuses = answers.map((r) => r.status);
    expect(statuses.every((s) => s === 401 || s === 503)).toBe(true);
    const busy = answers.filter((r) => r.status === 503);
    expect(busy.length).toBeGreaterThan(0);
    expect(busy.every((r) => Number(r.headers.get('Retry-After')) >= 1)).toBe(true);
    expect(
      during,
      `quiet ${quiet.toFixed(2)} ms, during the flood ${during.toFixed(2)} ms (mean of ${samples.length}, slowest ${Math.max(...samples).toFixed(0)} ms)`,
    ).toBeLessThanOrEqual(2 * quiet);
  }, 60_000);
});
