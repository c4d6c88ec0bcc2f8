/**
 * The operational log: pino, JSON lines. Secrets are redacted by key as a second line of defence;
 * the first is that no code here passes a value, key, token or password to the logger.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

/** The most a batch of log lines waits before it is written, in ms. */
export const LOG_FLUSH_MS = 250;

/**
 * The most one write holds: a pipe's atomic write (PIPE_BUF). sonic-boom fills its writes with
 * whole lines, so a batch never interleaves with another writer's on the same journal or collector.
 */
const PIPE_BUF = 4096;

/** Lines held before a write (below {@link PIPE_BUF}, as sonic-boom requires). */
const LOG_BATCH_BYTES = 4000;

const SECRET_KEYS = [
  'authorization',
  'password',
  'token',
  'otk',
  'viewOtk',
  'submitOtk',
  'retrieveOtk',
  'conversationToken',
  'onTheRecord',
  'offTheRecord',
  'cookie',
  'headers',
  'body',
  'masterKey',
  'totp',
  'totpSecret',
  'challenge',
  'secret',
  'd',
];

export const REDACT_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  ...SECRET_KEYS.map((key) => `*.*.${key}`),
  'req.headers.authorization',
  'req.headers["secure-forms-session"]',
  'req.headers["secure-forms-conversation"]',
];

export type { Logger };

/**
 * The log's destination on the descriptor `fd` (the server's standard output): its lines written
 * in batches of about 4 KB, or after {@link LOG_FLUSH_MS} at the latest, and whatever is held when
 * the process exits (pino flushes an asynchronous destination then). A write per line cost the
 * server about a twentieth of its CPU under load: each asynchronous write is a hand-off to libuv's
 * thread pool of 10-20 µs on the event loop, and the request log alone writes a line per request.
 * The audit trail is not written here (audit/file-sink.ts), so nothing it must keep waits in a batch.
 */
export function logDestination(fd: number): ReturnType<typeof pino.destination> {
  return pino.destination({ dest: fd, sync: false, minLength: LOG_BATCH_BYTES, maxWrite: PIPE_BUF, periodicFlush: LOG_FLUSH_MS });
}

export function createLogger(options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const config = {
    level: options.level ?? 'info',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    base: { service: 'secure-forms-pci' },
  };
  return pino(config, options.destination ?? logDestination(1));
}
