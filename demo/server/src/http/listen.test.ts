/**
 * The listener's connection timeouts, through a real socket: behind a proxy that keeps connections
 * to the backend open (nginx's upstream keepalive, a cloud load balancer), the proxy must be the
 * one to close an idle connection. If the backend closes first, a request the proxy sends on it at
 * that moment fails, and the proxy answers 502 for a POST it may not resend (a submit).
 */
import type { ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { serverConfig } from '../config/index.js';
import { listen } from './listen.js';

/**
 * When Node closes an idle connection by default: its 5 s keep-alive timeout plus the 1 s it waits
 * beyond what it announces. A proxy's idle timeout (nginx's and the cloud balancers' 60 s) outlives it.
 */
const NODE_DEFAULT_CLOSE_MS = 5000 + 1000;

let server: ServerType | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

function app() {
  const hono = new Hono();
  hono.get('/ping', (c) => c.text('pong'));
  hono.post('/submit', (c) => c.text('stored'));
  return hono;
}

/** One request on `socket`; resolves with the whole response text (the bodies here are short and sized). */
function exchange(socket: Socket, request: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (socket.readyState !== 'open') return reject(new Error('the server closed the connection while it was idle'));
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const head = text.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (head >= 0 && length !== undefined && text.length >= head + 4 + Number(length)) {
        socket.off('data', onData).off('close', onClose);
        resolve(text);
      }
    };
    const onClose = () => reject(new Error(`the server closed the connection (received: ${JSON.stringify(text)})`));
    socket.on('data', onData).once('close', onClose);
    socket.write(request);
  });
}

describe('the HTTP listener', () => {
  it('keeps an idle connection open past Node’s 5 s default, and says for how long, so a proxy closes it first', async () => {
    const { keepAliveMs } = serverConfig({});
    server = await listen({ fetch: app().fetch, hostname: '127.0.0.1', port: 0, label: 'PCI', keepAliveMs });
    const { port } = server.address() as { port: number };
    const socket = connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    try {
      const first = await exchange(socket, 'GET /ping HTTP/1.1\r\nHost: pci\r\n\r\n');
      expect(first).toMatch(/^HTTP\/1\.1 200/);
      // The hint a client (Node's own agent among them) uses to drop the connection before the server does.
      expect(first).toMatch(new RegExp(`\\r\\nKeep-Alive: timeout=${keepAliveMs / 1000}\\r\\n`, 'i'));
      await sleep(NODE_DEFAULT_CLOSE_MS + 700);
      const second = await exchange(socket, 'POST /submit HTTP/1.1\r\nHost: pci\r\nContent-Length: 0\r\n\r\n');
      expect(second).toMatch(/^HTTP\/1\.1 200[^]*stored$/);
    } finally {
      socket.destroy();
    }
  }, 15_000);

  it('waits for the headers of a request on a kept-alive connection longer than it keeps the connection', async () => {
    server = await listen({ fetch: app().fetch, hostname: '127.0.0.1', port: 0, label: 'PCI', keepAliveMs: 65_000 });
    expect(server).toMatchObject({ keepAliveTimeout: 65_000 });
    // Node closes a connection whose next request's headers take longer than headersTimeout,
    // counted from the previous response: it must not cut a connection it still calls open.
    expect((server as unknown as { headersTimeout: number }).headersTimeout).toBeGreaterThan(65_000);
  });

  it('names the variable to change when the port is taken', async () => {
    server = await listen({ fetch: app().fetch, hostname: '127.0.0.1', port: 0, label: 'PCI', keepAliveMs: 65_000 });
    const { port } = server.address() as { port: number };
    await expect(listen({ fetch: app().fetch, hostname: '127.0.0.1', port, label: 'PCI', keepAliveMs: 65_000 })).rejects.toThrow(
      `Port ${port} (PCI) is already in use. Stop what is using it, or choose another port with PCI_PORT=...`,
    );
  });
});
