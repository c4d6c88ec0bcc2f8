import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import net, { type AddressInfo } from 'node:net';
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

describe('bodyLimit on a real connection', () => {
  /** Write `request` on a raw socket; collect what comes back until the server closes it (or 3 s). */
  function exchange(port: number, first: string, then: string): Promise<{ text: string; closedByServer: boolean }> {
    return new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      let text = '';
      let closedByServer = false;
      socket.on('data', (chunk: Buffer) => (text += chunk.toString('latin1')));
      socket.on('end', () => (closedByServer = true));
      socket.on('error', () => undefined);
      socket.on('close', () => resolve({ text, closedByServer }));
      socket.write(first);
      // The rest of the refused body, then a second request on the same connection.
      setTimeout(() => socket.write(then, () => undefined), 200);
      setTimeout(() => socket.destroy(), 3000);
    });
  }

  it('answers 413 with Connection: close and closes, rather than read the rest as the next request', async () => {
    const app = new Hono();
    app.use(bodyLimit(1024));
    app.post('/', async (c) => c.json({ length: (await c.req.text()).length }));
    app.get('/', (c) => c.text('second answer'));
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const port = (server.address() as AddressInfo).port;
      const { text, closedByServer } = await exchange(
        port,
        `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n${'x'.repeat(2000)}`,
        `${'x'.repeat(3000)}GET / HTTP/1.1\r\nHost: x\r\n\r\n`,
      );
      expect(text).toMatch(/^HTTP\/1\.1 413 /);
      expect(text.toLowerCase()).toContain('connection: close');
      expect(closedByServer).toBe(true);
      // One answer only: nothing was taken from the body as a request, and nothing answered after.
      expect(text.match(/HTTP\/1\.1 /g)).toHaveLength(1);
      expect(text).not.toContain('second answer');
    } finally {
      server.close();
    }
  });

  it('decides from the headers a bodyless POST and a Content-Length within the limit, and counts a chunked body', async () => {
    const app = new Hono();
    app.use(bodyLimit(1024));
    app.post('/', async (c) => c.json({ length: (await c.req.text()).length }));
    const server = await new Promise<ServerType>((resolve) => {
      const s = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () => resolve(s));
    });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const bodyless = await fetch(url, { method: 'POST' });
      expect(await bodyless.json()).toEqual({ length: 0 });
      const within = await fetch(url, { method: 'POST', body: 'x'.repeat(1024) });
      expect(await within.json()).toEqual({ length: 1024 });
      const chunks = (n: number) =>
        new ReadableStream({
          start(controller) {
            for (let i = 0; i < n; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(512)));
            controller.close();
          },
        });
      const chunkedWithin = await fetch(url, { method: 'POST', body: chunks(2), duplex: 'half' } as RequestInit);
      expect(await chunkedWithin.json()).toEqual({ length: 1024 });
      const chunkedOver = await fetch(url, { method: 'POST', body: chunks(3), duplex: 'half' } as RequestInit);
      expect(chunkedOver.status).toBe(413);
      expect(await chunkedOver.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    } finally {
      server.close();
    }
  });
});
