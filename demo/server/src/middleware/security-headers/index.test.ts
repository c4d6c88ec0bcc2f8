import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './index.js';

describe('securityHeaders', () => {
  const app = new Hono();
  app.use(securityHeaders());
  app.get('/', (c) => c.text('ok'));
  app.get('/framed', (c) => {
    c.header('Content-Security-Policy', "frame-ancestors http://localhost:8080");
    return c.text('ok');
  });
  app.get('/broken', () => {
    throw new Error('boom');
  });
  app.onError((_e, c) => c.text('error', 500));

  it('sets nosniff, no-referrer and refuses framing by default', async () => {
    const res = await app.request('/');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Referrer-Policy')).toBe('no-referrer');
    expect(res.headers.get('X-Frame-Options')).toBe('DENY');
  });

  it('leaves framing to a route that sets frame-ancestors', async () => {
    const res = await app.request('/framed');
    expect(res.headers.get('X-Frame-Options')).toBeNull();
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('also marks error responses', async () => {
    const res = await app.request('/broken');
    expect(res.status).toBe(500);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });
});
