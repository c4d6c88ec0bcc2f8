/**
 * One origin's HTTP listener (main.ts starts two: the brand origin and the PCI origin), with the
 * connection timeouts a deployment behind a proxy needs.
 */
import { serve, type ServerType } from '@hono/node-server';

export interface ListenOptions {
  fetch: (request: Request) => Response | Promise<Response>;
  hostname: string;
  port: number;
  /** Which origin, for the message when the port is taken. */
  label: 'brand' | 'PCI';
  /** How long an idle connection stays open (config `keepAliveMs`, SECURE_FORMS_KEEP_ALIVE_SECONDS). */
  keepAliveMs: number;
}

/**
 * How much longer than the keep-alive timeout the server waits for a request's headers. Node
 * counts headersTimeout on a kept-alive connection from the previous response, so it must outlast
 * the keep-alive timeout, or Node cuts a connection it still announces as open.
 */
const HEADERS_BEYOND_KEEP_ALIVE_MS = 1000;

/**
 * Listen; resolves once listening, rejects with a message naming the variable to change when the
 * port is taken.
 *
 * A proxy that keeps connections to the backend open (nginx's upstream `keepalive`, a cloud load
 * balancer, 60 s idle by default) must be the one to close an idle connection: Node's own 5 s
 * would close it first, and the request the proxy sends on it at that moment fails; a proxy
 * resends only idempotent requests, so a visitor's submit would get a 502. Node announces the
 * timeout (`Keep-Alive: timeout=…`), which its own HTTP agent honours.
 */
export function listen({ fetch, hostname, port, label, keepAliveMs }: ListenOptions): Promise<ServerType> {
  return new Promise((resolve, reject) => {
    const server = serve({ fetch, hostname, port }, () => resolve(server));
    if ('keepAliveTimeout' in server) {
      server.keepAliveTimeout = keepAliveMs;
      server.headersTimeout = keepAliveMs + HEADERS_BEYOND_KEEP_ALIVE_MS;
    }
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(
          new Error(
            `Port ${port} (${label}) is already in use. Stop what is using it, or choose another port with ${label === 'brand' ? 'PORT' : 'PCI_PORT'}=...`,
          ),
        );
      } else {
        reject(error);
      }
    });
  });
}
