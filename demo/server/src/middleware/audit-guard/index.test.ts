import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { auditGuard } from './index.js';

describe('auditGuard', () => {
  let writable = true;
  const app = new Hono();
  app.use(auditGuard({ write: () => undefined, writable: () => writable }));
  app.all('/thing', (c) => c.json({ ok: true }));

  it('refuses state-changing requests with 503 SERVICE_BUSY while the audit sink cannot write, and serves reads', async () => {
    writable = false;
    const post = await app.request('/thing', { method: 'POST' });
    expect(post.status).toBe(503);
    expect(post.headers.get('Retry-After')).toBe('30');
    expect(((await post.json()) as { error: { code: string } }).error.code).toBe('SERVICE_BUSY');
    for (const method of ['PUT', 'PATCH', 'DELETE']) expect((await app.request('/thing', { method })).status).toBe(503);
    expect((await app.request('/thing')).status).toBe(200);
    writable = true;
    expect((await app.request('/thing', { method: 'POST' })).status).toBe(200);
  });
});
