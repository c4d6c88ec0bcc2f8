import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { memoryAuditSink } from '../../audit/audit.js';
import { auditAs, type AppEnv } from '../../http/context.js';
import { refuse } from '../../http/errors.js';
import { Refusal } from '../../domain/refusal.js';
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
  app.get('/refused', (c) => refuse(c, 'OTK_USED', 'used'));

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

  it('takes the refusal code from the refusal itself, never by reading the response body back', async () => {
    // Reading the body back (a clone) raced with the headers set after it and, now and then, left
    // the client a response whose body was already used: the code must come from the refusal.
    const quiet = memoryAuditSink();
    const refusing = new Hono<AppEnv>();
    refusing.use(auditTrail(quiet, () => Date.UTC(2026, 0, 1)));
    let pulls = 0;
    refusing.get('/made', (c) => {
      const response = refuse(c, 'OTK_USED', 'The one-time key has already been used.');
      const body = new ReadableStream<Uint8Array>(
        {
          pull(controller) {
            pulls++;
            controller.enqueue(new TextEncoder().encode('{}'));
            controller.close();
          },
          // Nothing is pulled until someone reads.
        },
        { highWaterMark: 0 },
      );
      return new Response(body, { status: response.status, headers: response.headers });
    });
    refusing.get('/thrown', () => {
      throw new Refusal('OTK_EXPIRED', 'The one-time key has expired.');
    });
    refusing.onError((error, c) => (error instanceof Refusal ? refuse(c, error.code, error.message) : c.text('', 500)));
    const made = await refusing.request('/made');
    expect(pulls).toBe(0);
    expect(made.bodyUsed).toBe(false);
    const thrown = await refusing.request('/thrown');
    expect(await thrown.json()).toMatchObject({ error: { code: 'OTK_EXPIRED' } });
    expect(quiet.entries.map((e) => e.reason)).toEqual(['OTK_USED', 'OTK_EXPIRED']);
  });
});
