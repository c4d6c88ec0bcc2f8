/**
 * Follows `GET /v1/agent/events`, the operator's own server-sent event stream, with `fetch`
 * (EventSource cannot send the `Secure-Forms-Session` header). Each `data:` line is JSON parsed
 * by `agentEventSchema`; anything that does not parse is skipped. When the stream drops it
 * reconnects with exponential backoff and jitter, until the signal aborts or the backend refuses
 * the session (then it stops and reports why).
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { SecureFormsError, agentEventSchema, toSecureFormsError, type AgentEvent } from '@secure-forms/shared';
import { isAbortError } from './api-client.js';

export interface AgentEventStreamOptions {
  /** Absolute URL of `/v1/agent/events`. */
  url: string;
  /** The session header (and nothing else secret). */
  headers: Record<string, string>;
  /** Stops the stream and any pending reconnect. */
  signal: AbortSignal;
  /** Each event that parsed. */
  onEvent(event: AgentEvent): void;
  /** The stream is open (first connect or a reconnect). */
  onOpen?(): void;
  /** The stream dropped; it reconnects after `retryInMs`. */
  onDrop?(retryInMs: number): void;
  /** The backend refused for good (session expired, forbidden): no more reconnects. */
  onRefused(error: SecureFormsError): void;
  /** First reconnect delay, doubled per failed attempt. */
  minDelayMs?: number;
  /** Longest reconnect delay. */
  maxDelayMs?: number;
}

/** Codes after which reconnecting cannot help. */
const FINAL_CODES = new Set(['UNAUTHENTICATED', 'SESSION_EXPIRED', 'FORBIDDEN', 'ACCOUNT_LOCKED']);

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

/** The reconnect delay for the `attempt`-th failure in a row (0-based), with ±20 % jitter. */
export function backoffDelay(attempt: number, minDelayMs = 1000, maxDelayMs = 30_000): number {
  const base = Math.min(maxDelayMs, minDelayMs * 2 ** Math.min(attempt, 16));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Runs until `options.signal` aborts or the backend refuses the session. Never rejects. */
export async function followAgentEvents(options: AgentEventStreamOptions): Promise<void> {
  const { signal } = options;
  let failures = 0;
  while (!signal.aborted) {
    try {
      const response = await fetch(options.url, {
        headers: { Accept: 'text/event-stream', ...options.headers },
        credentials: 'omit',
        cache: 'no-store',
        referrerPolicy: 'no-referrer',
        signal,
      });
      if (!response.ok || !response.body) {
        const error = toSecureFormsError(response.status, await response.json().catch(() => undefined));
        if (FINAL_CODES.has(error.code) || response.status === 401 || response.status === 403) {
          options.onRefused(error);
          return;
        }
        throw error;
      }
      options.onOpen?.();
      const reader = response.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          let json: unknown;
          try {
            json = JSON.parse(value.data);
          } catch {
            continue;
          }
          const parsed = agentEventSchema.safeParse(json);
          if (!parsed.success) continue;
          failures = 0;
          options.onEvent(parsed.data);
        }
      } finally {
        reader.releaseLock();
      }
    } catch (error) {
      if (signal.aborted || isAbortError(error)) return;
    }
    if (signal.aborted) return;
    const delay = backoffDelay(failures++, options.minDelayMs, options.maxDelayMs);
    options.onDrop?.(delay);
    await sleep(delay, signal);
  }
}
