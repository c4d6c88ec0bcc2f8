import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { noStore } from './index.js';

describe('noStore', () => {
  it('overrides any Cache-Control the handler set, on success and refusal', async () => {
    const app = new Hono();
    app.use('/v1/*', noStore());
    app.get('/v1/a', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.json({ ok: true });
    });
    app.get('/v1/refused', (c) => c.json({ error: { code: 'NOT_FOUND', message: 'x' } }, 404));
    app.get('/other', (c) => c.text('x'));
    expect((await app.request('/v1/a')).headers.get('Cache-Control')).toBe('no-store');
    expect((await app.request('/v1/refused')).headers.get('Cache-Control')).toBe('no-store');
    expect((await app.request('/other')).headers.get('Cache-Control')).toBeNull();
  });
});
