/**
 * The built server (demo/server/dist/main.js, what start.sh runs) shut down by a signal: an open
 * event stream gets its retry hint and ends, a request in flight completes, new connections are
 * refused meanwhile, and the process exits 0. And past the deadline, what is still open is cut.
 */
import { CONVERSATION_HEADER } from '@secure-forms/shared';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startBuiltServer, stopBuiltServers } from './test/built-server.js';

afterEach(stopBuiltServers);

/** A raw HTTP/1.1 connection, for a request the test holds in flight. */
function open(port: number): Promise<{ socket: Socket; received: () => string; ended: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const ended = new Promise<void>((done) => socket.once('close', () => done()));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, received: () => text, ended }));
  });
}

function refused(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

async function until(check: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// The spawned server runs on its own SQLite data directory whatever the test project: running it
// again in the PostgreSQL-and-Redis project would test nothing more.
const ON_ENGINES = process.env.SECURE_FORMS_TEST_DATABASE_URL !== undefined;

describe.skipIf(ON_ENGINES)('the server process on SIGTERM', () => {
  it(
    'ends open streams with a retry hint, finishes the request in flight, refuses new connections, exits 0',
    { timeout: 60_000 },
    async () => {
      const server = await startBuiltServer();
      const base = `http://127.0.0.1:${server.pciPort}`;
      const started = (await (
        await fetch(`${base}/v1/conversations`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ siteId: 'demo', visitorName: 'Vera' }),
        })
      ).json()) as { conversationId: string; conversationToken: string };

      // An open event stream of the visitor.
      const stream = await open(server.pciPort);
      stream.socket.write(
        `GET /v1/conversations/${started.conversationId}/events HTTP/1.1\r\nHost: 127.0.0.1\r\n${CONVERSATION_HEADER}: ${started.conversationToken}\r\n\r\n`,
      );
      await until(() => stream.received().includes(': connected'), 'the stream to open');

      // A request in flight: its headers and half its body sent.
      const body = JSON.stringify({ siteId: 'demo', visitorName: 'Walter' });
      const inFlight = await open(server.pciPort);
      inFlight.socket.write(
        `POST /v1/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body.slice(0, 10)}`,
      );
      await new Promise((resolve) => setTimeout(resolve, 200));

      const t0 = Date.now();
      server.child.kill('SIGTERM');
      await stream.ended;
      expect(stream.received()).toMatch(/retry: 1000\r?\n\r?\n/);
      expect(await refused(server.pciPort)).toBe(true);
      expect(server.child.exitCode).toBeNull();

      inFlight.socket.write(body.slice(10));
      await inFlight.ended;
      expect(inFlight.received()).toMatch(/^HTTP\/1\.1 201 /);
      expect(await server.exited).toBe(0);
      // Without waiting for the deadline (10 s by default): nothing was left open.
      expect(Date.now() - t0).toBeLessThan(5000);
    },
  );

  it('cuts what is still open at SECURE_FORMS_SHUTDOWN_DEADLINE_MS, then exits 0', { timeout: 60_000 }, async () => {
    const server = await startBuiltServer({ SECURE_FORMS_SHUTDOWN_DEADLINE_MS: '500' });
    const stuck = await open(server.pciPort);
    stuck.socket.write(
      'POST /v1/conversations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const signalled = Date.now();
    server.child.kill('SIGTERM');
    await stuck.ended;
    expect(await server.exited).toBe(0);
    expect(Date.now() - signalled).toBeGreaterThanOrEqual(450);
    expect(Date.now() - signalled).toBeLessThan(5000);
  });
});
