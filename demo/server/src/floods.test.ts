import { compareQueueOrder, generateInvitationKeyPair, type Conversation } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { collectStream, harness, readEvent } from './test/harness.js';

const code = async (res: Response) => ((await res.clone().json()) as { error?: { code: string } }).error?.code ?? String(res.status);
const tally = (codes: string[]) => codes.reduce<Record<string, number>>((acc, c) => ({ ...acc, [c]: (acc[c] ?? 0) + 1 }), {});

describe('anonymous floods', () => {
  it('starting conversations: 50 at once from one address get 20 through and 30 RATE_LIMITED with Retry-After; another address still starts', async () => {
    const h = await harness();
    const results = await Promise.all(
      Array.from({ length: 50 }, async () =>
        h.request('/v1/conversations', { body: { siteId: 'demo', visitorName: 'Flood' }, address: '198.51.100.7' }),
      ),
    );
    expect(tally(await Promise.all(results.map(async (r) => (r.status === 201 ? 'created' : code(r)))))).toEqual({
      created: 20,
      RATE_LIMITED: 30,
    });
    const refused = results.find((r) => r.status === 429)!;
    expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await h.request('/v1/conversations', { body: { siteId: 'demo' }, address: '198.51.100.8' })).status).toBe(201);
    expect(await h.all('SELECT id FROM conversations')).toHaveLength(21);
  });

  it('starting conversations: the per-site limit holds against many addresses', async () => {
    const h = await harness({ site: (s) => ({ ...s, conversationRateLimit: { windowSeconds: 60, perAddress: 5, perSite: 30 } }) });
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => h.request('/v1/conversations', { body: { siteId: 'demo' }, address: `198.51.100.${i}` })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(30);
    expect(results.filter((r) => r.status === 429)).toHaveLength(70);
  });

  it('a visitor name is bounded: no control or format characters, at most 80 characters', async () => {
    const h = await harness();
    for (const visitorName of ['Eve\nAgent: take me first', 'Eve\u202Eevil', 'x'.repeat(81)]) {
      const res = await h.request('/v1/conversations', { body: { siteId: 'demo', visitorName } });
      expect(res.status).toBe(400);
      expect(await code(res)).toBe('VALIDATION_FAILED');
    }
    expect((await h.request('/v1/conversations', { body: { siteId: 'demo', visitorName: 'Zoë Ødegård-Nakamura' } })).status).toBe(201);
  });

  it('visitor messages: 100 at once from one address get 60 through, the rest RATE_LIMITED, and none of those stored', async () => {
    const h = await harness();
    const v = await h.startConversation();
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) =>
        h.request(`/v1/conversations/${v.id}/messages`, { headers: v.headers, body: { text: `m${i}` } }),
      ),
    );
    expect(tally(await Promise.all(results.map(async (r) => (r.status === 201 ? 'created' : code(r)))))).toEqual({
      created: 60,
      RATE_LIMITED: 40,
    });
    expect(await h.all('SELECT id FROM messages WHERE conversation_id = ?', v.id)).toHaveLength(60);
  });
});

describe('visitor event streams', () => {
  it('are capped per conversation (429 over it), and an ended stream frees its slot', async () => {
    const h = await harness();
    const v = await h.startConversation();
    const open = async () => h.request(`/v1/conversations/${v.id}/events`, { headers: v.headers });
    const streams = await Promise.all(Array.from({ length: 5 }, open));
    expect(streams.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const sixth = await open();
    expect(sixth.status).toBe(429);
    expect(await code(sixth)).toBe('RATE_LIMITED');
    expect(sixth.headers.get('Retry-After')).toBeTruthy();

    await collectStream(streams[0]!, 50); // reads, then cancels: the client went away
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await h.app.hub.visitorStreams(v.id)).toBe(4);
    const again = await open();
    expect(again.status).toBe(200);
    await Promise.all([again, ...streams.slice(1)].map((r) => r.body!.cancel()));
  });

  it('are capped per address across conversations', async () => {
    const h = await harness({ site: (s) => ({ ...s, visitorStreamLimit: { perConversation: 5, perAddress: 8 } }) });
    const visitors = await Promise.all(Array.from({ length: 3 }, (_, i) => h.startConversation(`V${i}`)));
    const statuses: number[] = [];
    const open: Response[] = [];
    for (const v of visitors) {
      for (let i = 0; i < 4; i++) {
        const res = await h.request(`/v1/conversations/${v.id}/events`, { headers: v.headers, address: '198.51.100.20' });
        statuses.push(res.status);
        if (res.status === 200) open.push(res);
      }
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
    expect(statuses.filter((s) => s === 429)).toHaveLength(4);
    await Promise.all(open.map((r) => r.body!.cancel()));
  });

  it('end when the conversation closes (after telling the visitor), and a closed conversation opens none', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const v = await h.startConversation();
    await h.request(`/v1/conversations/${v.id}/assign`, { method: 'POST', headers: alice.headers });
    const streams = await Promise.all(
      Array.from({ length: 3 }, async () => h.request(`/v1/conversations/${v.id}/events`, { headers: v.headers })),
    );
    expect(await h.app.hub.visitorStreams(v.id)).toBe(3);
    const closed = readEvent(streams[0]!, (e) => ((e as { state?: string }).state === 'closed' ? true : undefined));
    const ended = Promise.all(streams.slice(1).map((r) => collectStream(r, 3000)));
    await h.request(`/v1/conversations/${v.id}/close`, { method: 'POST', headers: alice.headers });
    expect(await closed).toBe(true);
    const texts = await ended;
    for (const text of texts) expect(text).toContain('"state":"closed"');
    expect(await h.app.hub.visitorStreams(v.id)).toBe(0);
    const after = await h.request(`/v1/conversations/${v.id}/events`, { headers: v.headers });
    expect(await code(after)).toBe('CONVERSATION_CLOSED');
  });
});

describe('the agent queue in pages', () => {
  it('lists waiting conversations first, newest first, in pages with a next cursor, without gaps or repeats', async () => {
    const h = await harness({ site: (s) => ({ ...s, conversationRateLimit: { windowSeconds: 60, perAddress: 1000, perSite: 1000 } }) });
    const alice = await h.session('alice');
    const ids: string[] = [];
    for (let i = 0; i < 120; i++) {
      ids.push((await h.startConversation(`V${i}`)).id);
      h.advance(1000);
    }
    for (const id of ids.slice(0, 10)) await h.request(`/v1/conversations/${id}/assign`, { method: 'POST', headers: alice.headers });

    const seen: Conversation[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await h.request(`/v1/conversations?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { headers: alice.headers });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { conversations: Conversation[]; next?: string };
      expect(body.conversations.length).toBeLessThanOrEqual(50);
      seen.push(...body.conversations);
      cursor = body.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(new Set(seen.map((c) => c.id)).size).toBe(120);
    // Waiting first, newest first; then the active ones.
    expect(seen.slice(0, 110).map((c) => c.id)).toEqual(ids.slice(10).reverse());
    expect(seen.slice(110).every((c) => c.state === 'active')).toBe(true);
    // The workspace places a conversation an event brings with shared's compareQueueOrder: it is this order.
    expect([...seen].sort(compareQueueOrder).map((c) => c.id)).toEqual(seen.map((c) => c.id));

    const unpaged = (await (await h.request('/v1/conversations', { headers: alice.headers })).json()) as {
      conversations: unknown[];
      next?: string;
    };
    expect(unpaged.conversations).toHaveLength(50);
    expect(unpaged.next).toBeTruthy();
    for (const bad of ['limit=0', 'limit=abc', 'cursor=not!base64', `cursor=${Buffer.from('["x",1,"y"]').toString('base64url')}`]) {
      const res = await h.request(`/v1/conversations?${bad}`, { headers: alice.headers });
      expect(res.status).toBe(400);
      expect(await code(res)).toBe('VALIDATION_FAILED');
    }
  });
});

describe('transcript retention', () => {
  it('purges closed conversations past transcriptRetentionDays with their messages, watchers and invitations; keeps the rest', async () => {
    const h = await harness({ site: (s) => ({ ...s, transcriptRetentionDays: 30 }) });
    const alice = await h.session('alice');
    const bob = await h.session('bob');
    const old = await h.startConversation('Old');
    await h.request(`/v1/conversations/${old.id}/assign`, { method: 'POST', headers: alice.headers });
    await h.request(`/v1/conversations/${old.id}/join`, { method: 'POST', headers: bob.headers });
    await h.request(`/v1/conversations/${old.id}/messages`, { headers: old.headers, body: { text: 'my old chat' } });
    const keys = await generateInvitationKeyPair();
    const sent = await h.request(`/v1/conversations/${old.id}/invitations`, {
      headers: alice.headers,
      body: { formId: 'card-payment', publicKey: keys.publicJwk },
    });
    expect(sent.status).toBe(201);
    await h.request(`/v1/conversations/${old.id}/close`, { method: 'POST', headers: alice.headers });
    const open = await h.startConversation('Still open');

    h.advance(29 * 24 * 3600_000);
    expect((await h.app.purge()).transcripts).toBe(0);
    h.advance(2 * 24 * 3600_000);
    expect((await h.app.purge()).transcripts).toBe(1);
    expect(await h.all('SELECT id FROM conversations WHERE id = ?', old.id)).toEqual([]);
    expect(await h.all('SELECT id FROM messages WHERE conversation_id = ?', old.id)).toEqual([]);
    expect(await h.all('SELECT operator_id FROM conversation_watchers WHERE conversation_id = ?', old.id)).toEqual([]);
    expect(await h.all('SELECT id FROM invitations WHERE conversation_id = ?', old.id)).toEqual([]);
    expect(await h.all('SELECT id FROM conversations WHERE id = ?', open.id)).toHaveLength(1);
  });

  it('purges a big backlog in batches without holding the event loop for long', async () => {
    const h = await harness({ site: (s) => ({ ...s, transcriptRetentionDays: 1 }) });
    const insert = h.app.store;
    for (let i = 0; i < 2000; i++) {
      await insert.insertConversation({
        id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        siteId: 'demo',
        tokenHash: `hash-${i}`,
        state: 'closed',
        visitorName: 'Old',
        assignedAgentId: null,
        createdAt: h.now() - 10 * 24 * 3600_000,
        closedAt: h.now() - 9 * 24 * 3600_000,
      });
    }
    let longest = 0;
    let last = performance.now();
    const ticker = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 1);
    const purged = await h.app.purge();
    clearInterval(ticker);
    expect(purged.transcripts).toBe(2000);
    expect(longest).toBeLessThan(200);
  });
});
