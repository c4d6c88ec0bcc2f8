import { EventSourceParserStream } from 'eventsource-parser/stream';
import { describe, expect, it, vi } from 'vitest';
import { eventStreamBody } from './event-stream-body.js';

/** Everything the body gives until it ends. */
const readAll = (body: ReadableStream<Uint8Array<ArrayBuffer>>) => new Response(body).text();

describe('the body of an event stream', () => {
  it('gives what is written, in order, as events an EventSource parser reads, and ends after it', async () => {
    const onEnd = vi.fn();
    const stream = eventStreamBody(onEnd);
    stream.write(': connected\n\n');
    stream.event({ type: 'message', text: 'two\nlines' }, '1-0');
    stream.event({ type: 'state' }, '2-0');
    stream.end();
    expect(onEnd).toHaveBeenCalledTimes(1);
    const events = [];
    const reader = stream.body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
    for (let next = await reader.read(); !next.done; next = await reader.read()) events.push(next.value);
    expect(events.map((e) => [e.id, JSON.parse(e.data) as unknown])).toEqual([
      ['1-0', { type: 'message', text: 'two\nlines' }],
      ['2-0', { type: 'state' }],
    ]);
  });

  it('ends the stream of a client that does not read once it holds more than the bound, and keeps nothing more', async () => {
    const onEnd = vi.fn();
    const stream = eventStreamBody(onEnd, 10_000);
    const line = `data: ${'x'.repeat(990)}\n\n`;
    for (let i = 0; i < 10; i++) stream.write(line);
    expect(stream.open).toBe(true);
    stream.write(line);
    expect(stream.open).toBe(false);
    expect(onEnd).toHaveBeenCalledTimes(1);
    stream.write(line);
    expect((await readAll(stream.body)).length).toBe(11 * line.length);
  });

  it('holds nothing for a client that reads, however much is written', async () => {
    const stream = eventStreamBody(() => undefined, 10_000);
    const reader = stream.body.getReader();
    let read = 0;
    for (let i = 0; i < 100; i++) {
      stream.write(`data: ${'x'.repeat(990)}\n\n`);
      read += (await reader.read()).value!.length;
    }
    expect(stream.open).toBe(true);
    expect(read).toBe(100 * 998);
  });

  it('ends when the client goes away, once, and takes no more', async () => {
    const onEnd = vi.fn();
    const stream = eventStreamBody(onEnd);
    await stream.body.cancel();
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(stream.open).toBe(false);
    stream.write('data: late\n\n');
    stream.end();
    expect(onEnd).toHaveBeenCalledTimes(1);
  });
});
