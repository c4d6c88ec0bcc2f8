import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';

describe('HEAD on event streams', () => {
  it("answers the stream's headers without opening a stream, after the same credential check", async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const visitor = await h.startConversation();
    const before = h.app.hub.listenerCount;
    const agent = await h.request('/v1/agent/events', { method: 'HEAD', headers: alice.headers });
    expect(agent.status).toBe(200);
    expect(agent.headers.get('Content-Type')).toMatch(/^text\/event-stream/);
    const own = await h.request(`/v1/conversations/${visitor.id}/events`, { method: 'HEAD', headers: visitor.headers });
    expect(own.status).toBe(200);
    expect(h.app.hub.listenerCount).toBe(before);
    expect((await h.request('/v1/agent/events', { method: 'HEAD' })).status).toBe(401);
  });
});
