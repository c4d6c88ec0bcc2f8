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

  it("sends what is written in one turn of the event loop as one chunk, and a later turn's as the next", async () => {
    const stream = eventStreamBody(() => undefined);
    const reader = stream.body.pipeThrough(new TextDecoderStream()).getReader();
    stream.event({ type: 'invitation' }, '1-0');
    stream.event({ type: 'message' }, '1-1');
    stream.event({ type: 'submission' }, '2-0');
    expect((await reader.read()).value).toBe(
      'data: {"type":"invitation"}\nid: 1-0\n\ndata: {"type":"message"}\nid: 1-1\n\ndata: {"type":"submission"}\nid: 2-0\n\n',
    );
    stream.write(': keep-alive\n\n');
    expect((await reader.read()).value).toBe(': keep-alive\n\n');
  });

  it('counts what is written in this turn towards the bound', () => {
    const stream = eventStreamBody(() => undefined, 10_000);
    const line = `data: ${'é'.repeat(495)}\n\n`;
    for (let i = 0; i < 10; i++) stream.write(line);
    expect(stream.open).toBe(true);
    stream.write(line);
    expect(stream.open).toBe(false);
  });

  it('drops what this turn wrote when the client goes away before it is sent', async () => {
    const onEnd = vi.fn();
    const stream = eventStreamBody(onEnd);
    stream.write('data: unsent\n\n');
    await stream.body.cancel();
    // The turn's end comes and goes without sending into the cancelled body.
    await new Promise((resolve) => setImmediate(resolve));
    expect(onEnd).toHaveBeenCalledTimes(1);
    expect(stream.open).toBe(false);
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
