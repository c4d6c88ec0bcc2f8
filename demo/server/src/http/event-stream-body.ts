/**
 * The body of a server-sent event stream: text enqueued as it is written, and a bound on what a
 * client that does not read can make the server hold.
 *
 * Written here rather than with Hono's `streamSSE`, which routes each write through a writer, a
 * TransformStream and a second ReadableStream that pulls from it: about twenty promises per event,
 * which were a seventh of all the promises the server made under the bench's round-trip load (each
 * one costing the async context tracking and the garbage collector). The events here are one line
 * of JSON each, so the text goes straight into the one stream the HTTP server reads.
 *
 * What is written in one turn of the event loop leaves as one chunk, at the end of that turn
 * (`setImmediate`): an agent's stream gets about nine events per form round trip, and under load
 * many arrive in the same turn; one chunk each cost an encoding, a read of the stream and a write
 * to the socket apiece. Six interleaved pairs of the bench's round trips at concurrency 64, against
 * one chunk per write: per-request p99 61 → 57 ms (lower in all six), CPU per round trip 2.35 →
 * 2.31 ms (within the machine's noise).
 */

/** What a stream holds at most for a client that does not read, in bytes, before it is ended. */
export const MAX_QUEUED_BYTES = 1024 * 1024;

/** One event stream's body and its writing side. */
export interface EventStreamBody {
  /** The response body. */
  readonly body: ReadableStream<Uint8Array<ArrayBuffer>>;
  /** Whether the stream is still open (not closed by {@link end}, the bound, or the client). */
  readonly open: boolean;
  /** Queue `text`; past the bound the stream ends instead (the client reconnects and replays from its last event id). */
  readonly write: (text: string) => void;
  /** Queue one event: its JSON `data` line and its `id`. */
  readonly event: (payload: unknown, id: string) => void;
  /** End the stream after what is queued. */
  readonly end: () => void;
}

/**
 * A stream body; `onEnd` runs once when it ends, whoever ends it: {@link EventStreamBody.end},
 * the bound, or the client going away (the HTTP server cancels the body).
 */
export function eventStreamBody(onEnd: () => void, maxQueuedBytes = MAX_QUEUED_BYTES): EventStreamBody {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array<ArrayBuffer>>;
  let open = true;
  /** Written in this turn of the event loop, not yet queued; its size in bytes. */
  let pending = '';
  let pendingBytes = 0;
  let flushing: ReturnType<typeof setImmediate> | undefined;
  const finish = (): void => {
    if (!open) return;
    open = false;
    onEnd();
  };
  const body = new ReadableStream<Uint8Array<ArrayBuffer>>(
    {
      start: (c) => void (controller = c),
      // The client went away: what was written in this turn has nowhere to go.
      cancel: () => {
        clearImmediate(flushing);
        pending = '';
        finish();
      },
    },
    // desiredSize counts queued bytes, so that the bound below is in bytes.
    new ByteLengthQueuingStrategy({ highWaterMark: 0 }),
  );
  const flush = (): void => {
    clearImmediate(flushing);
    flushing = undefined;
    if (pending === '') return;
    controller.enqueue(encoder.encode(pending));
    pending = '';
    pendingBytes = 0;
  };
  const end = (): void => {
    if (!open) return;
    finish();
    flush();
    controller.close();
  };
  const write = (text: string): void => {
    if (!open) return;
    pending += text;
    pendingBytes += Buffer.byteLength(text);
    flushing ??= setImmediate(flush);
    if (pendingBytes - (controller.desiredSize ?? 0) > maxQueuedBytes) end();
  };
  return {
    body,
    get open() {
      return open;
    },
    write,
    // JSON.stringify writes no line break, so the payload is one `data:` line; ids are log ids.
    event: (payload, id) => write(`data: ${JSON.stringify(payload)}\nid: ${id}\n\n`),
    end,
  };
}
