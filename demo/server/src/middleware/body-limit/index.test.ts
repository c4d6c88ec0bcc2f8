import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { bodyLimit } from './index.js';

describe('bodyLimit', () => {
  const app = new Hono();
  app.use(bodyLimit(1024));
  app.post('/', async (c) => c.json({ length: (await c.req.text()).length }));

  it('lets a body within the limit through', async () => {
    const res = await app.request('/', { method: 'POST', body: 'x'.repeat(1024) });
    expect(res.status).toBe(200);
  });

  it('refuses a larger body with PAYLOAD_TOO_LARGE', async () => {
    const res = await app.request('/', { method: 'POST', body: 'x'.repeat(1025) });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('counts a streamed body without Content-Length', async () => {
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(512)));
        controller.close();
      },
    });
    const res = await app.request('/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });
});
