import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { compileTrust } from '../../http/client.js';
import { trustedProxies } from '../trusted-proxies/index.js';
import { documentCsp, HSTS, LOCKED_DOWN_CSP, PERMISSIONS_POLICY, securityHeaders } from './index.js';

describe('securityHeaders', () => {
  const app = new Hono();
  app.use(securityHeaders());
  app.get('/', (c) => c.text('ok'));
  app.get('/framed', (c) => {
    c.header('Content-Security-Policy', 'frame-ancestors http://localhost:8080');
    return c.text('ok');
  });
  app.get('/page', (c) => {
    c.header('Content-Security-Policy', documentCsp());
    return c.html('<title>page</title>');
  });
  app.get('/broken', () => {
    throw new Error('boom');
  });
  app.onError((_e, c) => c.text('error', 500));

  it('sets nosniff, no-referrer, a locked-down CSP and refuses framing by default', async () => {
    const res = await app.request('/');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
    expect(res.headers.get('Content-Security-Policy')).toBe(LOCKED_DOWN_CSP);
  });

  it('leaves framing to a route whose policy names frame ancestors', async () => {
    const res = await app.request('/framed');
    expect(res.headers.get('X-Frame-Options')).toBeNull();
    expect(res.headers.get('Content-Security-Policy')).toBe('frame-ancestors http://localhost:8080');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it("keeps a document's own policy, and DENY when it may not be framed", async () => {
    const res = await app.request('/page');
    expect(res.headers.get('Content-Security-Policy')).toBe(documentCsp());
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('also marks error responses', async () => {
    const res = await app.request('/broken');
    expect(res.status).toBe(500);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});

describe('documentCsp', () => {
  it('allows scripts and styles from the page origin only, requires Trusted Types, and reports', () => {
    const csp = documentCsp({ connect: ['http://127.0.0.1:8443'], frames: ['http://127.0.0.1:8443'] });
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("style-src 'self';");
    expect(csp).toContain("connect-src 'self' http://127.0.0.1:8443");
    expect(csp).toContain('frame-src http://127.0.0.1:8443');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("require-trusted-types-for 'script'");
    expect(csp).toContain("trusted-types lit-html 'allow-duplicates'");
    expect(csp).toContain('report-uri /csp-report');
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
  });

  it('frames nothing unless told, and names the ancestors it is given', () => {
    expect(documentCsp()).toContain("frame-src 'none'");
    expect(documentCsp({ frameAncestors: ['http://localhost:8080', 'http://127.0.0.1:8080'] })).toContain(
      'frame-ancestors http://localhost:8080 http://127.0.0.1:8080',
    );
  });
});

describe('securityHeaders: resource policy, permissions and HSTS', () => {
  const app = new Hono();
  app.use(trustedProxies(compileTrust(['10.0.0.1'])));
  app.use(securityHeaders());
  app.get('/', (c) => c.text('ok'));
  const get = (peer: string, headers: Record<string, string> = {}, encrypted = false) =>
    app.request('/', { headers }, { incoming: { socket: { remoteAddress: peer, encrypted } } });

  it('forbids cross-origin embedding and every powerful feature', async () => {
    const res = await get('127.0.0.1');
    expect(res.headers.get('Cross-Origin-Resource-Policy')).toBe('same-origin');
    expect(res.headers.get('Permissions-Policy')).toBe(PERMISSIONS_POLICY);
    expect(PERMISSIONS_POLICY).toContain('camera=()');
    expect(PERMISSIONS_POLICY).toContain('payment=()');
  });

  it('sends HSTS only over TLS: directly, or from a trusted proxy that says https', async () => {
    expect((await get('127.0.0.1')).headers.get('Strict-Transport-Security')).toBeNull();
    expect((await get('203.0.113.9', { 'X-Forwarded-Proto': 'https' })).headers.get('Strict-Transport-Security')).toBeNull();
    expect((await get('10.0.0.1', { 'X-Forwarded-Proto': 'https' })).headers.get('Strict-Transport-Security')).toBe(HSTS);
    expect((await get('203.0.113.9', {}, true)).headers.get('Strict-Transport-Security')).toBe(HSTS);
  });
});
