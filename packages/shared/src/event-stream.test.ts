import { afterEach, describe, expect, it, vi } from 'vitest';
import * as z from 'zod/mini';
import { SecureFormsError } from './errors.js';
import { followEventStream, isFinalRefusal, reconnectDelay, type EventStreamHandlers } from './event-stream.js';

const schema = z.object({ n: z.number() });
type Event = z.infer<typeof schema>;

/** A 200 event stream carrying `chunks` as they are, then ending (a drop). */
function stream(...chunks: string[]): Response {
  const body = new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

const refusal = (status: number, code: string) => Response.json({ error: { code, message: 'no' } }, { status });

/** Fetch answers `responses` in turn; after the last, it aborts the test's signal. */
function scripted(abort: AbortController, ...responses: (Response | Error)[]) {
  const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => {
    const next = responses.shift();
    if (responses.length === 0) queueMicrotask(() => abort.abort());
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  });
  vi.stubGlobal('fetch', fetchMock);
  return fetchMock;
}

function handlers(abort: AbortController): EventStreamHandlers<Event> & { events: Event[]; refusals: SecureFormsError[]; drops: number[] } {
  const events: Event[] = [];
  const refusals: SecureFormsError[] = [];
  const drops: number[] = [];
  return {
    signal: abort.signal,
    minDelayMs: 1,
    maxDelayMs: 4,
    events,
    refusals,
    drops,
    onEvent: (event) => events.push(event),
    onRefused: (error) => refusals.push(error),
    onDrop: (delay) => drops.push(delay),
  };
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('followEventStream', () => {
  it('hands over each event that parses and skips the rest, with the credential header and no cookies', async () => {
    const abort = new AbortController();
    const fetchMock = scripted(
      abort,
      stream('data: {"n":1}\n\n', 'data: not json\n\n', 'data: {"n":"x"}\n\n', ': ping\n\ndata: {"n"', ':2}\n\n'),
    );
    const h = handlers(abort);
    await followEventStream('https://pci.example/v1/agent/events', { 'Secure-Forms-Session': 's' }, schema, h);
    expect(h.events).toEqual([{ n: 1 }, { n: 2 }]);
    const init = fetchMock.mock.calls[0]?.[1];
    expect(init?.headers).toEqual({ Accept: 'text/event-stream', 'Secure-Forms-Session': 's' });
    expect(init?.credentials).toBe('omit');
    expect(init?.signal).toBe(abort.signal);
  });

  it('reconnects after a drop, a connection failure and a 5xx or 429, and delivers what comes after', async () => {
    const abort = new AbortController();
    const fetchMock = scripted(
      abort,
      stream('data: {"n":1}\n\n'),
      new TypeError('fetch failed'),
      refusal(503, 'SERVICE_BUSY'),
      refusal(429, 'RATE_LIMITED'),
      stream('data: {"n":2}\n\n'),
    );
    const h = handlers(abort);
    await followEventStream('https://pci.example/v1/agent/events', {}, schema, h);
    expect(fetchMock).toHaveBeenCalledTimes(5);
    expect(h.events).toEqual([{ n: 1 }, { n: 2 }]);
    expect(h.refusals).toEqual([]);
    expect(h.drops).toHaveLength(4);
  });

  it('sends the id of the last event it got when it reconnects, to be sent what it missed', async () => {
    const abort = new AbortController();
    const fetchMock = scripted(
      abort,
      stream('id: 7\ndata: {"n":1}\n\n', 'data: {"n":2}\n\n'),
      new TypeError('fetch failed'),
      stream('id: 9\ndata: {"n":3}\n\n'),
      stream(''),
    );
    const h = handlers(abort);
    await followEventStream('https://pci.example/v1/agent/events', { 'Secure-Forms-Session': 's' }, schema, h);
    const sent = fetchMock.mock.calls.map(([, init]) => (init.headers as Record<string, string>)['Last-Event-ID']);
    expect(sent).toEqual([undefined, '7', '7', '9']);
    expect(h.events).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it('stops for good on a 4xx refusal and reports its code', async () => {
    for (const [status, code] of [
      [401, 'SESSION_EXPIRED'],
      [403, 'FORBIDDEN'],
      [404, 'NOT_FOUND'],
      [409, 'CONVERSATION_CLOSED'],
    ] as const) {
      const abort = new AbortController();
      const fetchMock = scripted(abort, refusal(status, code), stream('data: {"n":1}\n\n'));
      const h = handlers(abort);
      await followEventStream('https://pci.example/v1/x/events', {}, schema, h);
      expect(fetchMock).toHaveBeenCalledTimes(1);
      expect(h.refusals.map((e) => [e.code, e.status])).toEqual([[code, status]]);
      expect(h.drops).toEqual([]);
    }
  });

  it('backs off longer with each failure in a row and starts again once an event arrives', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    const abort = new AbortController();
    const fail = () => new TypeError('fetch failed');
    scripted(abort, fail(), fail(), fail(), fail(), stream('data: {"n":1}\n\n'), fail());
    const h = handlers(abort);
    await followEventStream('https://pci.example/v1/agent/events', {}, schema, h);
    // 1, 2, 4, then capped at 4; after the event, 1 again.
    expect(h.drops).toEqual([1, 2, 4, 4, 1]);
  });

  it('stops silently when the signal aborts, during a wait or while reading', async () => {
    const abort = new AbortController();
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
      const body = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('data: {"n":1}\n\n'));
          init.signal?.addEventListener('abort', () => controller.error(init.signal?.reason));
        },
      });
      return new Response(body, { status: 200 });
    });
    vi.stubGlobal('fetch', fetchMock);
    const h = handlers(abort);
    const done = followEventStream('https://pci.example/v1/agent/events', {}, schema, {
      ...h,
      onEvent: () => abort.abort(),
    });
    await expect(done).resolves.toBeUndefined();
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(h.drops).toEqual([]);
    expect(h.refusals).toEqual([]);
  });
});

describe('reconnectDelay', () => {
  it('doubles from 1 s to at most 30 s, with at most 20 % jitter either way', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect([0, 1, 2, 3, 4, 5, 6, 50].map((attempt) => reconnectDelay(attempt))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(reconnectDelay(0)).toBe(800);
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    expect(reconnectDelay(0)).toBe(1200);
  });
});

describe('isFinalRefusal', () => {
  it('is final for a 4xx except 408 and 429, never for a 5xx', () => {
    expect([400, 401, 403, 404, 409, 410].every(isFinalRefusal)).toBe(true);
    expect([408, 429, 500, 502, 503].some(isFinalRefusal)).toBe(false);
  });
});
