/**
 * The event hub over its log, as two instances see it: two hubs on one log (the memory ring, or
 * one Redis prefix when SECURE_FORMS_TEST_REDIS_URL is set), each with its own streams.
 */
import { randomUUID } from 'node:crypto';
import type { AgentEvent, VisitorEvent } from '@secure-forms/shared';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryEphemeral } from '../ephemeral/memory.js';
import { connectRedis, RedisEphemeral } from '../ephemeral/redis.js';
import type { EphemeralState } from '../ephemeral/types.js';
import { EventHub } from './hub.js';

const REDIS_URL = process.env.SECURE_FORMS_TEST_REDIS_URL;

/** Two instances' hubs on one shared state. */
type Pair = { a: EventHub; b: EventHub; states: EphemeralState[] };

const engines: { name: string; skip: boolean; pair: () => Promise<Pair> }[] = [
  {
    name: 'memory ring',
    skip: false,
    pair: () => {
      // One process's ring: both hubs read it, as two instances read one Redis Stream.
      const state = new MemoryEphemeral(() => 0);
      return Promise.resolve({
        a: new EventHub(state.events, state.slots, 60_000),
        b: new EventHub(state.events, state.slots, 60_000),
        states: [state],
      });
    },
  },
  {
    name: 'Redis Stream',
    skip: !REDIS_URL,
    pair: async () => {
      const prefix = `test:${randomUUID()}:`;
      const states = await Promise.all([0, 1].map(async () => RedisEphemeral.open(await connectRedis(REDIS_URL!, false), prefix, () => 0)));
      return {
        a: new EventHub(states[0]!.events, states[0]!.slots, 60_000),
        b: new EventHub(states[1]!.events, states[1]!.slots, 60_000),
        states,
      };
    },
  },
];

const conversationEvent = (id: string): AgentEvent => ({
  type: 'conversation',
  conversation: { id, siteId: 'demo', state: 'waiting', visitorName: 'V', assignedAgentId: null, createdAt: '2026-11-29T12:00:00.000Z' },
});
const visitorEvent = (state: 'waiting' | 'closed'): VisitorEvent => ({ type: 'conversation', state });

/** Collects what a stream hears, and waits for it. */
function collector<T>() {
  const got: { event: T; id: string }[] = [];
  return {
    got,
    listener: (event: T, id: string) => void got.push({ event, id }),
    until: async (n: number) => {
      for (let i = 0; i < 200 && got.length < n; i++) await new Promise((r) => setTimeout(r, 10));
      return got;
    },
  };
}
const idOf = (e: AgentEvent) => (e.type === 'conversation' ? e.conversation.id : e.type);
const settle = () => new Promise((r) => setTimeout(r, 150));

for (const engine of engines) {
  describe.skipIf(engine.skip)(`the event hub over the ${engine.name}`, () => {
    let pair: Pair;
    afterEach(async () => {
      pair.a.close();
      pair.b.close();
      await Promise.all(pair.states.map((s) => s.close()));
    });

    it('delivers to an agent stream on one instance what another instance publishes, with the log id', async () => {
      pair = await engine.pair();
      const alice = collector<AgentEvent>();
      pair.a.subscribeAgent('demo', 'alice', alice.listener);
      await pair.b.toSite('demo', conversationEvent('c1'));
      await pair.b.toAgent('alice', conversationEvent('c2'));
      await pair.b.toAgent('bob', conversationEvent('c3'));
      await pair.b.toSite('other-site', conversationEvent('c4'));
      await pair.b.toSite('demo', conversationEvent('c5'), ['bob']);
      await alice.until(2);
      await settle();
      expect(alice.got.map((g) => idOf(g.event))).toEqual(['c1', 'c2']);
      expect(alice.got[0]!.id).toMatch(/\S/);
      expect(alice.got[0]!.id).not.toBe(alice.got[1]!.id);
    });

    it("appends a conversation's event for its visitor and for the site's operators as one log entry, heard on both instances", async () => {
      pair = await engine.pair();
      const alice = collector<AgentEvent>();
      pair.a.subscribeAgent('demo', 'alice', alice.listener);
      const slot = await pair.b.openVisitor('c1', '10.0.0.1', { perConversation: 4, perAddress: 4 });
      const visitor = collector<VisitorEvent>();
      slot!.listen(visitor.listener, () => undefined);
      const appended: unknown[] = [];
      const log = pair.states[0]!.events;
      const append = log.append.bind(log);
      log.append = (...entries) => {
        appended.push(entries);
        return append(...entries);
      };
      await pair.a.toConversation('c1', visitorEvent('waiting'), 'demo', conversationEvent('c1'), ['alice']);
      await alice.until(1);
      await visitor.until(1);
      await settle();
      expect(appended).toHaveLength(1);
      expect(alice.got.map((g) => idOf(g.event))).toEqual(['c1']);
      expect(visitor.got.map((g) => g.event)).toEqual([visitorEvent('waiting')]);
      // One entry: one id, under which a reconnect of either stream resumes after it.
      expect(visitor.got[0]!.id).toBe(alice.got[0]!.id);
      const resumed = collector<VisitorEvent>();
      const again = await pair.a.openVisitor('c1', '10.0.0.1', { perConversation: 4, perAddress: 4 });
      again!.listen(resumed.listener, () => undefined, visitor.got[0]!.id);
      await pair.b.toVisitor('c1', visitorEvent('closed'));
      await resumed.until(1);
      await settle();
      expect(resumed.got.map((g) => g.event)).toEqual([visitorEvent('closed')]);
    });

    it('replays to a reconnect on the other instance exactly the missed events it would have been sent live, then goes live', async () => {
      pair = await engine.pair();
      const first = collector<AgentEvent>();
      const held = pair.a.subscribeAgent('demo', 'alice', first.listener);
      await pair.a.toSite('demo', conversationEvent('seen'));
      const lastSeen = (await first.until(1))[0]!.id;
      held.close();
      await pair.a.toSite('demo', conversationEvent('missed-1'));
      await pair.a.toAgent('bob', conversationEvent('bobs'));
      await pair.a.toSite('demo', conversationEvent('not-for-alice'), ['bob']);
      await pair.a.toSite('elsewhere', conversationEvent('other-site'));
      await pair.a.toAgent('alice', conversationEvent('missed-2'));
      const again = collector<AgentEvent>();
      pair.b.subscribeAgent('demo', 'alice', again.listener, undefined, lastSeen);
      await again.until(2);
      await pair.a.toSite('demo', conversationEvent('live'));
      await again.until(3);
      await settle();
      expect(again.got.map((g) => idOf(g.event))).toEqual(['missed-1', 'missed-2', 'live']);
    });

    it("replays to a visitor stream only its own conversation's events", async () => {
      pair = await engine.pair();
      const slot = await pair.a.openVisitor('c1', '10.0.0.1', { perConversation: 4, perAddress: 4 });
      const first = collector<VisitorEvent>();
      slot!.listen(first.listener, () => undefined);
      await pair.b.toVisitor('c1', visitorEvent('waiting'));
      const lastSeen = (await first.until(1))[0]!.id;
      slot!.close();
      await pair.b.toVisitor('c2', visitorEvent('closed'));
      await pair.b.toVisitor('c1', visitorEvent('closed'));
      const again = collector<VisitorEvent>();
      const reopened = await pair.b.openVisitor('c1', '10.0.0.1', { perConversation: 4, perAddress: 4 });
      reopened!.listen(again.listener, () => undefined, lastSeen);
      await again.until(1);
      await settle();
      expect(again.got.map((g) => g.event)).toEqual([visitorEvent('closed')]);
    });

    it('does not hand a stream opened after a publish resolved that earlier event', async () => {
      pair = await engine.pair();
      await pair.a.toSite('demo', conversationEvent('before'));
      const late = collector<AgentEvent>();
      pair.a.subscribeAgent('demo', 'alice', late.listener);
      await pair.a.toSite('demo', conversationEvent('after'));
      await late.until(1);
      await settle();
      expect(late.got.map((g) => idOf(g.event))).toEqual(['after']);
    });

    it('ends agent streams and visitor streams on every instance', async () => {
      pair = await engine.pair();
      const ended: string[] = [];
      pair.a.subscribeAgent('demo', 'alice', () => undefined, { tokenHash: 't1', end: () => ended.push('alice t1') });
      pair.a.subscribeAgent('demo', 'alice', () => undefined, { tokenHash: 't2', end: () => ended.push('alice t2') });
      pair.a.subscribeAgent('demo', 'bob', () => undefined, { tokenHash: 't3', end: () => ended.push('bob') });
      const slot = await pair.a.openVisitor('c1', '10.0.0.1', { perConversation: 4, perAddress: 4 });
      slot!.listen(
        () => undefined,
        () => ended.push('visitor c1'),
      );
      await pair.b.endAgentSessions({ operatorId: 'alice', exceptTokenHash: 't2' });
      await pair.b.endVisitors('c1');
      for (let i = 0; i < 200 && ended.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      await pair.b.endAgentSessions({ tokenHash: 't2' });
      for (let i = 0; i < 200 && ended.length < 3; i++) await new Promise((r) => setTimeout(r, 10));
      await settle();
      expect(ended).toEqual(['alice t1', 'visitor c1', 'alice t2']);
    });

    it('knows on one instance that another operator listens on the other', async () => {
      pair = await engine.pair();
      expect(await pair.b.hasOtherSiteListener('demo', 'alice')).toBe(false);
      pair.a.subscribeAgent('demo', 'bob', () => undefined);
      await settle();
      expect(await pair.b.hasOtherSiteListener('demo', 'alice')).toBe(true);
      expect(await pair.b.hasOtherSiteListener('demo', 'bob')).toBe(false);
      expect(await pair.b.hasOtherSiteListener('elsewhere', 'alice')).toBe(false);
    });

    it('caps visitor streams across instances, and frees a slot when its stream closes', async () => {
      pair = await engine.pair();
      const limits = { perConversation: 2, perAddress: 10 };
      const one = await pair.a.openVisitor('c1', '10.0.0.1', limits);
      expect(await pair.b.openVisitor('c1', '10.0.0.2', limits)).not.toBeNull();
      expect(await pair.b.openVisitor('c1', '10.0.0.3', limits)).toBeNull();
      expect(await pair.b.visitorStreams('c1')).toBe(2);
      one!.close();
      await settle();
      expect(await pair.b.visitorStreams('c1')).toBe(1);
    });
  });
}

describe.skipIf(!REDIS_URL)('the Redis event log on an instance without streams', () => {
  it('reads what the other instances append in a few batches rather than entry by entry, and starts at once when a stream opens', async () => {
    const prefix = `test:${randomUUID()}:`;
    const states = await Promise.all([0, 1].map(async () => RedisEphemeral.open(await connectRedis(REDIS_URL!, false), prefix, () => 0)));
    const [idle, busy] = states.map((state) => new EventHub(state.events, state.slots, 60_000)) as [EventHub, EventHub];
    try {
      const held = collector<AgentEvent>();
      busy.subscribeAgent('demo', 'alice', held.listener);
      const idleLog = states[0]!.events;
      const busyLog = states[1]!.events;
      await settle();
      const [idleBefore, busyBefore] = [idleLog.reads, busyLog.reads];
      for (let i = 0; i < 30; i++) await busy.toSite('demo', conversationEvent(`c${i}`));
      await held.until(30);
      await settle();
      // The instance holding a stream reads about once per entry; the one without, in a few batches.
      expect(busyLog.reads - busyBefore).toBeGreaterThanOrEqual(15);
      expect(idleLog.reads - idleBefore).toBeLessThanOrEqual(6);
      // A stream opened on it hears what comes next at once, and nothing from before it opened.
      const late = collector<AgentEvent>();
      idle.subscribeAgent('demo', 'alice', late.listener);
      await idle.toSite('demo', conversationEvent('after'));
      await busy.toSite('demo', conversationEvent('after-elsewhere'));
      await late.until(2);
      await settle();
      expect(late.got.map((g) => idOf(g.event))).toEqual(['after', 'after-elsewhere']);
    } finally {
      idle.close();
      busy.close();
      await Promise.all(states.map((s) => s.close()));
    }
  });
});
