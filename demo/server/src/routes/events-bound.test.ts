/**
 * What an event stream holds for a client that stops reading: the route's stream ends once it
 * holds MAX_QUEUED_BYTES (http/event-stream-body.ts), and its subscription goes with it; a client
 * that reads is sent everything and keeps its stream.
 */
import type { AgentEvent } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { MAX_QUEUED_BYTES } from '../http/event-stream-body.js';
import { harness } from '../test/harness.js';

describe('an event stream whose client stops reading', () => {
  it('ends once it holds 1 MiB, with its subscription, while a reading stream of the same agent gets every byte and stays', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const unread = await h.request('/v1/agent/events', { headers: alice.headers });
    const read = await h.request('/v1/agent/events', { headers: alice.headers });
    expect([unread.status, read.status]).toEqual([200, 200]);
    expect(h.app.hub.listenerCount).toBe(2);

    let received = 0;
    const reader = read.body!.getReader();
    const reading = (async () => {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        received += value.byteLength;
      }
    })();

    // Events of 16 KiB each to alice's streams, until 1.5 MiB has gone out.
    const text = 'x'.repeat(16 * 1024);
    const count = Math.ceil((1.5 * MAX_QUEUED_BYTES) / text.length);
    for (let i = 0; i < count; i++) {
      await h.app.hub.toAgent(alice.operatorId, { type: 'message', conversationId: 'c', message: { text } } as unknown as AgentEvent);
      // Let the reading stream's reader take what was queued, as a client on a socket would.
      await new Promise((resolve) => setImmediate(resolve));
    }

    // The stream nobody read ended at the bound: only the reading one is still subscribed.
    expect(h.app.hub.listenerCount).toBe(1);
    expect(received).toBeGreaterThan(count * text.length);
    await reader.cancel();
    await reading;
    await unread.body!.cancel();
  });
});
