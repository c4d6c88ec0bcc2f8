/**
 * Event ids and replay on the app's streams: every event carries an `id:`; a reconnect with
 * `Last-Event-ID` first gets the events it missed, and only those it would have been sent live.
 * Runs on the memory ring, and on Redis when SECURE_FORMS_TEST_REDIS_URL is set.
 */
import { describe, expect, it } from 'vitest';
import { readEvents, type SentEvent } from '../test/event-stream.js';
import { harness } from '../test/harness.js';

/** Read an event stream until `count` events came (or `ms` passed); then close it. */
const events = (response: Response, count: number, ms = 3000) => readEvents(response, (sent) => sent.length >= count, ms);

const summary = (sent: SentEvent[]) =>
  sent.map(({ data }) => {
    const e = data as { type: string; state?: string; message?: { text?: string }; conversation?: { state: string } };
    return e.type === 'message' ? `message ${e.message?.text}` : `${e.type} ${e.state ?? e.conversation?.state}`;
  });

describe('event ids and replay', () => {
  it("gives an agent's reconnect the events it missed, never another operator's, then live ones", async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const bob = await h.session('bob');
    const mine = await h.startConversation('Mine');
    await h.request(`/v1/conversations/${mine.id}/assign`, { method: 'POST', headers: alice.headers });
    const bobs = await h.startConversation('Bobs');
    await h.request(`/v1/conversations/${bobs.id}/assign`, { method: 'POST', headers: bob.headers });

    const first = await h.request('/v1/agent/events', { headers: alice.headers });
    await h.request(`/v1/conversations/${mine.id}/messages`, { headers: mine.headers, body: { text: 'seen' } });
    const [seen] = await events(first, 1);
    expect(seen!.id).toMatch(/^[\w.-]+$/);
    expect(summary([seen!])).toEqual(['message seen']);

    // While alice is away: a message of hers, one of bob's conversation (not for her), and hers again.
    await h.request(`/v1/conversations/${mine.id}/messages`, { headers: mine.headers, body: { text: 'missed one' } });
    await h.request(`/v1/conversations/${bobs.id}/messages`, { headers: bobs.headers, body: { text: 'for bob only' } });
    await h.request(`/v1/conversations/${mine.id}/messages`, { headers: mine.headers, body: { text: 'missed two' } });

    const again = await h.request('/v1/agent/events', { headers: { ...alice.headers, 'Last-Event-ID': seen!.id! } });
    const replayed = events(again, 3);
    await new Promise((r) => setTimeout(r, 200));
    await h.request(`/v1/conversations/${mine.id}/messages`, { headers: mine.headers, body: { text: 'live' } });
    const got = await replayed;
    expect(summary(got)).toEqual(['message missed one', 'message missed two', 'message live']);
    expect(new Set(got.map((g) => g.id)).size).toBe(3);
  });

  it("gives a visitor's reconnect only its own conversation's missed events", async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const mine = await h.startConversation('Mine');
    const other = await h.startConversation('Other');
    const first = await h.request(`/v1/conversations/${mine.id}/events`, { headers: mine.headers });
    await h.request(`/v1/conversations/${mine.id}/assign`, { method: 'POST', headers: alice.headers });
    const [seen] = await events(first, 1);
    expect(summary([seen!])).toEqual(['conversation active']);
    await h.request(`/v1/conversations/${other.id}/assign`, { method: 'POST', headers: alice.headers });
    await h.request(`/v1/conversations/${other.id}/messages`, { headers: other.headers, body: { text: 'not yours' } });
    await h.request(`/v1/conversations/${mine.id}/messages`, { headers: alice.headers, body: { text: 'missed' } });
    const again = await h.request(`/v1/conversations/${mine.id}/events`, { headers: { ...mine.headers, 'Last-Event-ID': seen!.id! } });
    // The join line came after the state the first stream read: missed too.
    expect(summary(await events(again, 3, 600))).toEqual(['message Alice Agent joined the chat.', 'message missed']);
  });

  it('ignores a Last-Event-ID it does not know, and one that is not an id', async () => {
    for (const id of ['0123abcd.5', 'not an id; at all']) {
      const h = await harness();
      const alice = await h.session('alice');
      const stream = await h.request('/v1/agent/events', { headers: { ...alice.headers, 'Last-Event-ID': id } });
      expect(stream.status).toBe(200);
      await h.startConversation();
      expect(summary(await events(stream, 2, 600))).toEqual(['conversation waiting']);
    }
  });
});
