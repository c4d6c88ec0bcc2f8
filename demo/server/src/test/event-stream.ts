/**
 * Reading the app's server-sent event streams in tests, with a deadline. The stream is parsed by
 * eventsource-parser, as shared's followEventStream parses it in the browsers; what is left here is
 * the tests' own part: stop when the test has what it waits for, or when the deadline passes.
 */
import { EventSourceParserStream } from 'eventsource-parser/stream';

/** One event as the backend sent it: its `id:` (when it had one) and its `data:` parsed as JSON. */
export interface SentEvent {
  id?: string;
  data: unknown;
}

/** The reader's next chunk, or `done` when `deadline` (epoch ms) passes first. */
function readBefore<T>(reader: ReadableStreamDefaultReader<T>, deadline: number): Promise<ReadableStreamReadResult<T>> {
  if (Date.now() >= deadline) return Promise.resolve({ done: true, value: undefined });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<ReadableStreamReadResult<T>>((resolve) => {
    timer = setTimeout(() => resolve({ done: true, value: undefined }), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([reader.read(), late]).finally(() => clearTimeout(timer));
}

/**
 * Read `response`'s events until `enough` accepts the events so far, the stream ends or `ms`
 * pass; then close the stream. An event whose data is not JSON fails the test.
 */
export async function readEvents(response: Response, enough: (events: SentEvent[]) => boolean, ms: number): Promise<SentEvent[]> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
  const events: SentEvent[] = [];
  const deadline = Date.now() + ms;
  try {
    while (!enough(events)) {
      const next = await readBefore(reader, deadline);
      if (next.done) break;
      const { id, data } = next.value;
      if (!data) continue;
      events.push({ ...(id === undefined ? {} : { id }), data: JSON.parse(data) as unknown });
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return events;
}

/** Read an event stream until a `data:` payload satisfies `match`; then close the stream. */
export async function readEvent<T>(response: Response, match: (payload: unknown) => T | undefined, timeoutMs = 5000): Promise<T> {
  let found: T | undefined;
  let matched = 0;
  await readEvents(
    response,
    (events) => {
      for (; found === undefined && matched < events.length; matched++) found = match(events[matched]!.data);
      return found !== undefined;
    },
    timeoutMs,
  );
  if (found === undefined) throw new Error('no matching event');
  return found;
}

/** Collect everything an event stream sends (text, unparsed) for `ms`, then close it. */
export async function collectStream(response: Response, ms: number): Promise<string> {
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const stop = Date.now() + ms;
  try {
    for (;;) {
      const chunk = await readBefore(reader, stop);
      if (chunk.done) break;
      text += chunk.value;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
  return text;
}
