import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { turns } from './index.js';

/** Hold the thread for `ms`, as a request's synchronous work (SQLite, JSON) does. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/** An app whose every request spins `ms` synchronously; `log` records the order of starts and of the probes. */
function app(perTurn: number, ms: number, log: string[]) {
  const a = new Hono();
  a.use('*', turns(perTurn));
  a.post('/work/:n', (c) => {
    log.push(`request ${c.req.param('n')}`);
    busy(ms);
    return c.json({ ok: true });
  });
  return a;
}

describe('requests start in turns of the event loop', () => {
  it('lets the event loop run (a timer, an I/O callback) after every few requests instead of after a whole burst', async () => {
    const log: string[] = [];
    const a = app(2, 2, log);
    const answers = Promise.all(Array.from({ length: 12 }, async (_, i) => a.request(`/work/${i}`, { method: 'POST' })));
    // Scheduled when the burst arrived: without turns it runs only once all twelve requests have run.
    setImmediate(() => log.push('loop'));
    const statuses = (await answers).map((r) => r.status);
    expect(statuses).toEqual(Array(12).fill(200));
    const loopAt = log.indexOf('loop');
    expect(loopAt).toBeGreaterThan(0);
    // At most two turns' worth (poll and check phase) of requests before the loop came round.
    expect(loopAt).toBeLessThanOrEqual(4);
  });

  it('starts every request, in the order they arrived, with none left waiting', async () => {
    const log: string[] = [];
    const a = app(3, 0, log);
    const answers = await Promise.all(Array.from({ length: 20 }, async (_, i) => a.request(`/work/${i}`, { method: 'POST' })));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(log).toEqual(Array.from({ length: 20 }, (_, i) => `request ${i}`));
    // Later requests, when the loop is quiet, start at once.
    const later = await a.request('/work/late', { method: 'POST' });
    expect(later.status).toBe(200);
  });

  it('lets a request that throws release its turn', async () => {
    const a = new Hono();
    a.use('*', turns(1));
    a.post('/fail', () => {
      throw new Error('boom');
    });
    a.post('/ok', (c) => c.text('ok'));
    a.onError((_e, c) => c.text('failed', 500));
    const answers = await Promise.all([
      a.request('/fail', { method: 'POST' }),
      a.request('/fail', { method: 'POST' }),
      a.request('/ok', { method: 'POST' }),
    ]);
    expect(answers.map((r) => r.status)).toEqual([500, 500, 200]);
  });
});
