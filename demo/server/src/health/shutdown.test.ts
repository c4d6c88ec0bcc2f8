import { describe, expect, it } from 'vitest';
import { collectStream, harness } from '../test/harness.js';

describe('beginShutdown', () => {
  it('makes readyz 503 at once and ends every open event stream with a retry hint', async () => {
    const h = await harness();
    const visitor = await h.startConversation();
    const agent = await h.session('alice');
    const streams = [
      await h.request(`/v1/conversations/${visitor.id}/events`, { headers: visitor.headers }),
      await h.request('/v1/agent/events', { headers: agent.headers }),
    ];
    expect(streams.map((s) => s.status)).toEqual([200, 200]);
    const reading = streams.map((s) => collectStream(s, 3000));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    const ended = h.app.beginShutdown(1500);
    expect((await h.request('/readyz')).status).toBe(503);
    await ended;
    const texts = await Promise.all(reading);
    // Each stream says when to reconnect (to whichever instance the balancer picks) and ends, long before collectStream's 3 s.
    for (const text of texts) expect(text).toMatch(/^: connected\n\n(?:[\s\S]*\n)?retry: 1500\n\n$/);
    expect(Date.now() - started).toBeLessThan(2000);
    // The visitor stream's slot is freed.
    expect(h.app.hub.visitorStreams(visitor.id)).toBe(0);
  });

  it('refuses no request by itself: the process serves until its listeners close', async () => {
    const h = await harness();
    await h.app.beginShutdown(1000);
    expect((await h.request('/healthz')).status).toBe(200);
    expect((await h.request('/v1/forms?siteId=demo')).status).not.toBe(503);
  });
});
