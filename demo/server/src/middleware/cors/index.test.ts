import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { Refusal } from '../../domain/refusal.js';
import { refuseWith } from '../../http/errors.js';
import { cors, requireSiteOrigin } from './index.js';

describe('cors', () => {
  const app = new Hono();
  app.use(cors(() => new Set(['http://localhost:8080'])));
  app.post('/v1/x', (c) => c.json({ ok: true }));

  it('answers the preflight of a brand origin with the allowed headers', async () => {
    const res = await app.request('/v1/x', {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:8080', 'Access-Control-Request-Method': 'POST' },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:8080');
    const allowed = res.headers.get('Access-Control-Allow-Headers') ?? '';
    for (const h of ['Authorization', 'Content-Type', 'Secure-Forms-Session', 'Secure-Forms-Conversation']) expect(allowed).toContain(h);
    // A stream that reconnects names the last event it got, to be sent what it missed.
    expect(allowed.split(', ')).toContain('Last-Event-ID');
    // Cached by the browser for as long as Chromium allows (two hours).
    expect(res.headers.get('Access-Control-Max-Age')).toBe('7200');
  });

  it('marks an actual request from a brand origin', async () => {
    const res = await app.request('/v1/x', { method: 'POST', headers: { Origin: 'http://localhost:8080' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:8080');
  });

  it('refuses a foreign origin, preflight or not, without CORS headers', async () => {
    for (const method of ['OPTIONS', 'POST']) {
      const res = await app.request('/v1/x', { method, headers: { Origin: 'https://evil.example' } });
      expect(res.status).toBe(403);
      expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
      expect(await res.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    }
  });

  it('leaves requests without an Origin alone', async () => {
    const res = await app.request('/v1/x', { method: 'POST' });
    expect(res.status).toBe(200);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
  });
});

describe('cors per site', () => {
  const A = 'http://brand-a.example';
  const B = 'http://brand-b.example';
  const PCI = 'http://pci.example';
  const origins: Record<string, string[]> = { a: [A], b: [B] };
  const app = new Hono();
  app.use(async (c, next) => {
    c.set('audit' as never, {} as never);
    await next();
  });
  app.use(cors({ origins: () => new Set([A, B, PCI]), anySite: new Set([PCI]), siteOrigins: (id) => origins[id] }));
  let acted = 0;
  // As requireSession does: the site is known from the credential, before anything is done.
  app.post('/v1/sites/:site/act', (c) => {
    requireSiteOrigin(c, c.req.param('site'));
    acted++;
    return c.json({ ok: true });
  });
  // As sign-in does: the site is named in the body and noted for the audit line.
  app.post('/v1/sites/:site/noted', (c) => {
    (c.get('audit' as never) as { siteId?: string }).siteId = c.req.param('site');
    return c.json({ ok: true });
  });
  app.onError((error, c) => (error instanceof Refusal ? refuseWith(c, error) : c.json({ error: { code: 'INTERNAL' } }, 500)));

  it("refuses site A's brand origin on site B's requests, before acting, without CORS approval", async () => {
    const res = await app.request('/v1/sites/b/act', { method: 'POST', headers: { Origin: A } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'ORIGIN_NOT_ALLOWED' } });
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect(acted).toBe(0);
    const own = await app.request('/v1/sites/a/act', { method: 'POST', headers: { Origin: A } });
    expect(own.status).toBe(200);
    expect(own.headers.get('Access-Control-Allow-Origin')).toBe(A);
  });

  it('withholds the answer to a request for another site that the handler only named for the audit line', async () => {
    const res = await app.request('/v1/sites/a/noted', { method: 'POST', headers: { Origin: B } });
    expect(res.status).toBe(403);
    expect(res.headers.get('Access-Control-Allow-Origin')).toBeNull();
    expect((await app.request('/v1/sites/b/noted', { method: 'POST', headers: { Origin: B } })).status).toBe(200);
  });

  it("lets the PCI origin act for every site, and answers any site's brand origin's preflight", async () => {
    expect((await app.request('/v1/sites/a/act', { method: 'POST', headers: { Origin: PCI } })).status).toBe(200);
    expect((await app.request('/v1/sites/b/noted', { method: 'POST', headers: { Origin: PCI } })).status).toBe(200);
    for (const origin of [A, B]) {
      const preflight = await app.request('/v1/sites/b/act', {
        method: 'OPTIONS',
        headers: { Origin: origin, 'Access-Control-Request-Method': 'POST' },
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe(origin);
    }
  });
});
