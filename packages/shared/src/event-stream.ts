/**
 * Following a server-sent event stream of the PCI backend with `fetch`, because `EventSource`
 * cannot send a credential header (`Secure-Forms-Session`, `Secure-Forms-Conversation`). Every
 * stream of every package follows the same rules:
 *
 * - each `data:` is JSON parsed by the caller's schema; anything that does not parse is skipped
 *   (one bad event must not cost the others);
 * - when the stream drops or cannot connect, it reconnects after {@link reconnectDelay}: 1 s
 *   doubling to at most 30 s, ±20 % jitter so that a restarted backend is not hit by every client
 *   in the same instant; the count starts again once an event arrives;
 * - a 4xx refusal (other than 408 and 429, which say "later") is final: the same request would be
 *   refused again, so the stream stops and reports why through `onRefused`;
 * - it remembers the last event id (`id:`) and sends it as `Last-Event-ID` when it reconnects, so
 *   the backend sends first what was missed in between (as `EventSource` does);
 * - it stops, silently, when the signal aborts.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { SecureFormsError, toSecureFormsError } from './errors.js';
import { isAbortError, type ResponseSchema } from './http.js';

export interface EventStreamHandlers<T> {
  /** Stops the stream and any pending reconnect. */
  signal: AbortSignal;
  /** Each event that parsed. */
  onEvent(event: T): void;
  /** The backend refused for good (session expired, forbidden, conversation ended): no more reconnects. */
  onRefused(error: SecureFormsError): void;
  /** The stream is open (first connect or a reconnect). */
  onOpen?(): void;
  /** The stream dropped or could not connect; it reconnects after `retryInMs`. */
  onDrop?(retryInMs: number): void;
  /** First reconnect delay (doubled per failed attempt); tests shorten it. */
  minDelayMs?: number;
  /** Longest reconnect delay. */
  maxDelayMs?: number;
}

/** The first reconnect delay and the longest one. */
export const RECONNECT_MIN_DELAY_MS = 1000;
export const RECONNECT_MAX_DELAY_MS = 30_000;

/** The reconnect delay for the `attempt`-th failure in a row (0-based), with ±20 % jitter. */
export function reconnectDelay(attempt: number, minDelayMs = RECONNECT_MIN_DELAY_MS, maxDelayMs = RECONNECT_MAX_DELAY_MS): number {
  const base = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Whether a refusal with this status would be refused again, so that reconnecting cannot help. */
export function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

/** Wait `ms`, or less if `signal` aborts first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The JSON of one event's data, or `undefined` when it is not JSON. */
function parseData(data: string): unknown {
  try {
    return JSON.parse(data) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Connect once and read events until the stream ends. Returns `true` when at least one event
 * parsed; returns the refusal when the backend refused the stream for good.
 */
async function connectOnce<T>(
  url: string,
  headers: Record<string, string>,
  schema: ResponseSchema<T>,
  handlers: EventStreamHandlers<T>,
  last: { id?: string },
): Promise<boolean | SecureFormsError> {
  const response = await fetch(url, {
    headers: { Accept: 'text/event-stream', ...headers, ...(last.id === undefined ? {} : { 'Last-Event-ID': last.id }) },
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
    signal: handlers.signal,
  });
  if (!response.ok || !response.body) {
    const error = toSecureFormsError(response.status, await response.json().catch(() => undefined));
    if (isFinalRefusal(response.status)) return error;
    throw error;
  }
  handlers.onOpen?.();
  let delivered = false;
  const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return delivered;
      if (value.id !== undefined) last.id = value.id;
      const parsed = schema.safeParse(parseData(value.data));
      if (!parsed.success) continue;
      delivered = true;
      handlers.onEvent(parsed.data);
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * Follow the event stream at `url`, sending `headers` (the credential, nothing else secret), and
 * hand each event that `schema` accepts to `onEvent`. Runs until `signal` aborts or the backend
 * refuses for good (then `onRefused`). Never rejects.
 */
export async function followEventStream<T>(
  url: string,
  headers: Record<string, string>,
  schema: ResponseSchema<T>,
  handlers: EventStreamHandlers<T>,
): Promise<void> {
  const { signal } = handlers;
  let failures = 0;
  const last: { id?: string } = {};
  while (!signal.aborted) {
    try {
      const outcome = await connectOnce(url, headers, schema, handlers, last);
      if (outcome instanceof SecureFormsError) {
        handlers.onRefused(outcome);
        return;
      }
      if (outcome) failures = 0;
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return;
      // A dropped connection, a 5xx or a "later": reconnect below.
    }
    if (signal.aborted) return;
    const delay = reconnectDelay(failures++, handlers.minDelayMs, handlers.maxDelayMs);
    handlers.onDrop?.(delay);
    await sleep(delay, signal);
  }
}
