import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { memoryAuditSink } from '../../audit/audit.js';
import { auditAs, type AppEnv } from '../../http/context.js';
import { auditTrail } from './index.js';

describe('auditTrail', () => {
  const sink = memoryAuditSink();
  const app = new Hono<AppEnv>();
  app.use(auditTrail(sink, () => Date.UTC(2026, 0, 1)));
  app.post('/login', (c) => {
    auditAs(c, 'login', { actor: 'operator:1', siteId: 'demo' });
    return c.json({ ok: true });
  });
  app.get('/quiet', (c) => c.json({ ok: true }));
  app.get('/refused', (c) => c.json({ error: { code: 'OTK_USED', message: 'used' } }, 410));

  it('records named successes and every refusal with its code, and nothing else', async () => {
    await app.request('/login', { method: 'POST', headers: { Origin: 'http://localhost:8080' } });
    await app.request('/quiet');
    await app.request('/refused');
    expect(sink.entries).toEqual([
      expect.objectContaining({
        action: 'login',
        outcome: 'success',
        actor: 'operator:1',
        siteId: 'demo',
        origin: 'http://localhost:8080',
        at: '2026-01-01T00:00:00.000Z',
      }),
      expect.objectContaining({ action: 'request', outcome: 'refused', reason: 'OTK_USED', path: '/refused' }),
    ]);
  });
});
