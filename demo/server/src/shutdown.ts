/**
 * Graceful shutdown of the server process (main.ts, on SIGTERM or SIGINT), in this order:
 * 1. `/readyz` answers 503 from this moment (a balancer stops sending), and every open event
 *    stream gets `retry:` and ends (its client reconnects, through the balancer, elsewhere);
 * 2. the listeners stop accepting connections; idle keep-alive connections are closed;
 * 3. requests in flight finish, until the deadline; then what is still open is cut;
 * 4. the caller's resources close (the store, Redis, the key custody, the audit sink's last lines).
 */
import type { ServerType } from '@hono/node-server';
import type { SecureFormsApp } from './app.js';
import type { Logger } from './logger.js';

/**
 * The reconnect hint each ended stream gets (ms). Short: the visitor or agent misses events for no
 * longer than this; long enough that a client does not retry before the balancer has noticed.
 */
export const SHUTDOWN_RETRY_MS = 1000;

export interface ShutdownDeps {
  app: Pick<SecureFormsApp, 'beginShutdown'>;
  servers: readonly ServerType[];
  /** How long in-flight requests may take to finish (ms). */
  deadlineMs: number;
  logger: Logger;
  /** Close everything else (store, Redis, custody, audit sink), once the requests have ended. */
  closeResources: () => Promise<void>;
}

/** Shut down as above; resolves when everything is closed (the caller then exits 0). */
export async function shutDown({ app, servers, deadlineMs, logger, closeResources }: ShutdownDeps): Promise<void> {
  const streamsEnded = app.beginShutdown(SHUTDOWN_RETRY_MS);
  // server.close() stops accepting at once and (Node 19+) closes idle keep-alive connections; its
  // callback runs when the last connection with a request in flight has ended.
  const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
  // A connection whose last request finishes from now on would stay open, idle, for the keep-alive
  // timeout (SECURE_FORMS_KEEP_ALIVE_SECONDS), and close() waits for it: close those as they become idle.
  const idle = setInterval(() => {
    for (const server of servers) if ('closeIdleConnections' in server) server.closeIdleConnections();
  }, 50);
  let cut = false;
  const deadline = setTimeout(() => {
    cut = true;
    logger.warn({ deadlineMs }, 'shutdown deadline reached: closing the connections still open');
    for (const server of servers) if ('closeAllConnections' in server) server.closeAllConnections();
  }, deadlineMs);
  try {
    await streamsEnded;
    await Promise.all(closed);
  } finally {
    clearTimeout(deadline);
    clearInterval(idle);
  }
  if (!cut) logger.info('in-flight requests finished');
  await closeResources();
}
