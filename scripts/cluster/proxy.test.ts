/**
 * The cluster's round-robin proxy on its own, in front of small node:http upstreams: instances in
 * turn, named in each answer; the client's address appended to X-Forwarded-For, sent from the
 * trusted source address; an event stream passed on as it is written; a refused connection tried
 * on the next instance; an instance that dies mid-stream ends the client's stream.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { INSTANCE_HEADER, startProxy, type RunningProxy } from './proxy.js';
import { freePort } from '../../demo/server/src/test/free-port.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** An upstream that answers with what it saw, or streams when asked to. */
async function upstream(name: string): Promise<{ port: number; server: http.Server }> {
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (request.url === '/stream') {
        response.writeHead(200, { 'Content-Type': 'text/event-stream' });
        response.write('data: first\n\n');
        return; // held open; the test ends it
      }
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.end(
        JSON.stringify({
          name,
          peer: request.socket.remoteAddress,
          forwardedFor: request.headers['x-forwarded-for'],
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(
    () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  return { port: (server.address() as AddressInfo).port, server };
}

async function proxyTo(ports: number[]): Promise<{ url: string; proxy: RunningProxy }> {
  const port = await freePort();
  const proxy = await startProxy({
    port,
    host: '127.0.0.1',
    upstreams: ports.map((p) => ({ host: '127.0.0.1', port: p })),
    sourceAddress: '127.0.0.200',
  });
  closers.push(() => proxy.stop());
  return { url: `http://127.0.0.1:${port}`, proxy };
}

describe('the cluster proxy', () => {
  it('takes the instances in turn, names each in the answer and passes the body', async () => {
    const a = await upstream('a');
    const b = await upstream('b');
    const { url, proxy } = await proxyTo([a.port, b.port]);
    const seen = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(`${url}/echo`, { method: 'POST', body: `body ${i}` });
      const json = (await res.json()) as { name: string; body: string };
      seen.push([res.headers.get(INSTANCE_HEADER), json.name, json.body]);
    }
    expect(seen).toEqual([
      ['0', 'a', 'body 0'],
      ['1', 'b', 'body 1'],
      ['0', 'a', 'body 2'],
      ['1', 'b', 'body 3'],
    ]);
    expect(proxy.served).toEqual([2, 2]);
  });

  it("appends the client's address to X-Forwarded-For and connects from the trusted source address", async () => {
    const a = await upstream('a');
    const { url } = await proxyTo([a.port]);
    const json = (await (await fetch(`${url}/echo`, { headers: { 'X-Forwarded-For': '203.0.113.9' } })).json()) as Record<string, string>;
    expect(json.peer).toBe('127.0.0.200');
    expect(json.forwardedFor).toBe('203.0.113.9, 127.0.0.1');
  });

  it('passes an event stream on as it is written, counts it open, and ends it when the instance dies', async () => {
    const a = await upstream('a');
    const { url, proxy } = await proxyTo([a.port]);
    const res = await fetch(`${url}/stream`);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('data: first\n\n');
    expect(proxy.streams).toEqual([1]);
    a.server.closeAllConnections();
    await expect(reader.read()).rejects.toThrow();
  });

  it('tries the next instance when one refuses the connection', async () => {
    const refused = await freePort();
    const b = await upstream('b');
    const { url, proxy } = await proxyTo([refused, b.port]);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/echo`, { method: 'POST', body: 'kept' });
      expect(res.headers.get(INSTANCE_HEADER)).toBe('1');
      expect(((await res.json()) as { body: string }).body).toBe('kept');
    }
    expect(proxy.retried).toBeGreaterThanOrEqual(1);
  });

  it('answers 502 with the cause when no instance takes the connection', async () => {
    const { url } = await proxyTo([await freePort()]);
    const res = await fetch(`${url}/echo`);
    expect(res.status).toBe(502);
    expect(await res.text()).toBe('No instance answered (ECONNREFUSED).');
  });
});
