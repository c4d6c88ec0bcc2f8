import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { cors } from './index.js';

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
