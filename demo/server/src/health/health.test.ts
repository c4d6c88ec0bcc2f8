import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';

interface ReadyBody {
  status?: string;
  error?: { code: string; message: string };
  stopping?: boolean;
  checks: Record<string, string>;
}

describe('/healthz and /readyz', () => {
  it('healthz answers while the process serves, to GET and HEAD, anonymously', async () => {
    const h = await harness();
    const res = await h.request('/healthz');
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await res.json()).toEqual({ status: 'ok' });
    const head = await h.request('/healthz', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });

  it('a probe that comes with a request body is refused unread with 413 PAYLOAD_TOO_LARGE', async () => {
    const h = await harness();
    for (const path of ['/healthz', '/readyz']) {
      const res = await h.request(path, { headers: { 'Content-Length': '5' } });
      expect(res.status).toBe(413);
      expect(((await res.json()) as ReadyBody).error?.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('readyz is 200 with each named check when the database answers', async () => {
    const h = await harness();
    const res = await h.request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('readyz is 503 SERVICE_BUSY naming the check that failed or timed out, and nothing the driver said', async () => {
    const h = await harness({
      readiness: {
        timeoutMs: 50,
        checks: [
          {
            name: 'redis',
            check: () => Promise.reject(new Error('connect ECONNREFUSED redis://:hunter2-password@10.1.2.3:6379')),
          },
          { name: 'slow', check: () => new Promise<void>(() => undefined) },
        ],
      },
    });
    const started = Date.now();
    const res = await h.request('/readyz');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('1');
    const text = await res.text();
    expect(text).not.toMatch(/hunter2|10\.1\.2\.3|6379|ECONNREFUSED|redis:\/\//);
    const body = JSON.parse(text) as ReadyBody;
    expect(body.error?.code).toBe('SERVICE_BUSY');
    expect(body.error?.message).toMatch(/redis \(failed\), slow \(timed-out\).*another instance/);
    expect(body).toMatchObject({ stopping: false, checks: { database: 'ok', redis: 'failed', slow: 'timed-out' } });
    // The log says which check failed, once, and never the driver's message either.
    const logged = h.logLines.join('\n');
    expect(logged).toMatch(/readiness check failed/);
    expect(logged).not.toMatch(/hunter2|10\.1\.2\.3/);
  });

  it('a flood of probes runs the checks once per second of the app clock, writes no audit entry and no request line', async () => {
    let calls = 0;
    const h = await harness({
      readiness: {
        checks: [
          {
            name: 'counted',
            check: async () => {
              calls++;
              await new Promise((resolve) => setTimeout(resolve, 20));
            },
          },
        ],
      },
    });
    const auditBefore = h.audit.entries.length;
    const logBefore = h.logLines.length;
    const answers = await Promise.all(Array.from({ length: 50 }, async () => h.request('/readyz')));
    expect(answers.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(calls).toBe(1);
    await h.request('/readyz');
    expect(calls).toBe(1);
    h.advance(1000);
    await h.request('/readyz');
    expect(calls).toBe(2);
    await Promise.all(Array.from({ length: 10 }, async () => h.request('/healthz')));
    expect(h.audit.entries.length).toBe(auditBefore);
    expect(h.logLines.length).toBe(logBefore);
  });

  it('readyz is 503 from the moment shutdown begins, without waiting for the cache', async () => {
    const h = await harness();
    expect((await h.request('/readyz')).status).toBe(200);
    h.app.readiness.stop();
    const res = await h.request('/readyz');
    expect(res.status).toBe(503);
    const body = (await res.json()) as ReadyBody;
    expect(body).toMatchObject({ error: { code: 'SERVICE_BUSY' }, stopping: true, checks: {} });
    expect(body.error?.message).toMatch(/shutting down/);
    // The process still serves meanwhile.
    expect((await h.request('/healthz')).status).toBe(200);
  });
});
