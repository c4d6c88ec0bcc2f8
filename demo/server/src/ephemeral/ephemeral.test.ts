/**
 * The ephemeral state's contract, run against both implementations: process memory, and Redis
 * when SECURE_FORMS_TEST_REDIS_URL names one (a fresh key prefix per test).
 */
import { randomUUID } from 'node:crypto';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MemoryEphemeral } from './memory.js';
import { connectRedis, persistenceProblem, RedisEphemeral } from './redis.js';
import type { EphemeralState } from './types.js';

const REDIS_URL = process.env.SECURE_FORMS_TEST_REDIS_URL;

const engines: { name: string; skip: boolean; open: (clock: () => number) => Promise<EphemeralState> }[] = [
  { name: 'memory', skip: false, open: (clock) => Promise.resolve(new MemoryEphemeral(clock)) },
  {
    name: 'redis',
    skip: !REDIS_URL,
    open: async (clock) => RedisEphemeral.open(await connectRedis(REDIS_URL!, false), `test:${randomUUID()}:`, clock),
  },
];

for (const engine of engines) {
  describe.skipIf(engine.skip)(`ephemeral state in ${engine.name}`, () => {
    let now = 1_000_000;
    let state: EphemeralState;
    const open = async () => {
      now = 1_000_000;
      state = await engine.open(() => now);
      return state;
    };
    afterEach(async () => state?.close());

    it('hands a value out once, then tells later takes it was handed out, until its deadline', async () => {
      const once = (await open()).once('otr', 10);
      await once.put('a', 'sealed', now + 1000);
      expect(await once.count()).toBe(1);
      now += 500;
      expect(await once.take('a')).toEqual({ state: 'available', value: 'sealed', expiresAt: 1_001_000 });
      expect(await once.count()).toBe(0);
      expect(await once.take('a')).toEqual({ state: 'handed-out' });
      now += 500;
      expect(await once.take('a')).toEqual({ state: 'expired' });
    });

    it('forgets a value at its deadline on the app clock', async () => {
      const once = (await open()).once('otr', 10);
      await once.put('a', 'sealed', now + 1000);
      now += 1000;
      expect(await once.take('a')).toEqual({ state: 'expired' });
      expect(await once.take('never')).toEqual({ state: 'expired' });
    });

    it('gives a value to exactly one of 50 concurrent takes', async () => {
      const once = (await open()).once('otr', 10);
      await once.put('a', 'sealed', now + 1000);
      const taken = await Promise.all(Array.from({ length: 50 }, () => once.take('a')));
      expect(taken.filter((t) => t.state === 'available')).toHaveLength(1);
      expect(taken.filter((t) => t.state === 'handed-out')).toHaveLength(49);
    });

    it('shows a held value without taking it, and forgets one on delete', async () => {
      const once = (await open()).once('challenge', 10);
      await once.put('a', 'operator-1', now + 1000);
      expect(await once.peek('a')).toEqual({ value: 'operator-1', expiresAt: 1_001_000 });
      expect(await once.peek('a')).toEqual({ value: 'operator-1', expiresAt: 1_001_000 });
      await once.delete('a');
      expect(await once.peek('a')).toBeNull();
      await once.put('b', 'operator-2', now + 1000);
      await once.take('b');
      expect(await once.peek('b')).toBeNull();
      await once.put('c', 'operator-3', now + 1000);
      now += 1000;
      expect(await once.peek('c')).toBeNull();
    });

    it('keeps namespaces apart', async () => {
      const s = await open();
      await s.once('one', 10).put('a', 'first', now + 1000);
      expect(await s.once('two', 10).take('a')).toEqual({ state: 'expired' });
      expect((await s.once('one', 10).take('a')).state).toBe('available');
    });

    it('counts in fixed windows on the app clock', async () => {
      const windows = (await open()).windows('login');
      expect(await windows.peek('k', 1000)).toEqual({ count: 0, endsAt: now + 1000 });
      expect(await windows.hit('k', 1000)).toEqual({ count: 1, endsAt: 1_001_000 });
      now += 400;
      expect(await windows.hit('k', 1000)).toEqual({ count: 2, endsAt: 1_001_000 });
      expect(await windows.peek('k', 1000)).toEqual({ count: 2, endsAt: 1_001_000 });
      expect((await windows.hit('other', 1000)).count).toBe(1);
      now += 600;
      expect((await windows.peek('k', 1000)).count).toBe(0);
      expect(await windows.hit('k', 1000)).toEqual({ count: 1, endsAt: 1_002_000 });
    });

    it('counts 50 concurrent hits once each', async () => {
      const windows = (await open()).windows('login');
      const counts = await Promise.all(Array.from({ length: 50 }, () => windows.hit('k', 60_000)));
      expect(counts.map((w) => w.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });

    it('counts a known key only: one counted in its window or the one before', async () => {
      const windows = (await open()).windows('replays');
      expect(await windows.hitKnown('k', 1000)).toEqual({ count: 0, endsAt: 1_001_000 });
      expect(await windows.peek('k', 1000)).toEqual({ count: 0, endsAt: 1_001_000 });
      await windows.hit('k', 1000);
      expect(await windows.hitKnown('k', 1000)).toEqual({ count: 2, endsAt: 1_001_000 });
      // Its window ended less than a window ago: still known, counted in a new window.
      now += 1500;
      expect(await windows.hitKnown('k', 1000)).toEqual({ count: 1, endsAt: 1_002_500 });
      // A full window later, forgotten.
      now += 2000;
      expect(await windows.hitKnown('k', 1000)).toEqual({ count: 0, endsAt: 1_004_500 });
      expect(await windows.hitKnown('other', 1000)).toEqual({ count: 0, endsAt: 1_004_500 });
    });

    it('counts 50 concurrent hits of a known key once each', async () => {
      const windows = (await open()).windows('replays');
      await windows.hit('k', 60_000);
      const counts = await Promise.all(Array.from({ length: 50 }, () => windows.hitKnown('k', 60_000)));
      expect(counts.map((w) => w.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    });

    it('caps stream slots per key, frees them on release, and lists their holders', async () => {
      const slots = (await open()).slots;
      const caps = (n: number) => [
        { key: 'conversation:c', limit: 2 },
        { key: 'address:a', limit: n },
      ];
      const first = await slots.acquire(caps(5), 'v1', 10_000);
      const second = await slots.acquire(caps(5), 'v2', 10_000);
      expect(first && second).toBeTruthy();
      expect(await slots.acquire(caps(5), 'v3', 10_000)).toBeNull();
      expect(await slots.count('conversation:c')).toBe(2);
      expect((await slots.holders('conversation:c')).sort()).toEqual(['v1', 'v2']);
      await first!.release();
      await first!.release();
      expect(await slots.count('conversation:c')).toBe(1);
      expect(await slots.count('address:a')).toBe(1);
      // Refused by the second cap: nothing is taken under the first either.
      expect(await slots.acquire(caps(1), 'v4', 10_000)).toBeNull();
      expect(await slots.count('conversation:c')).toBe(1);
    });

    it('frees a slot whose stream stopped refreshing it (its instance died), and keeps a refreshed one', async () => {
      const slots = (await open()).slots;
      const alive = await slots.acquire([{ key: 'k', limit: 2 }], 'alive', 10_000);
      await slots.acquire([{ key: 'k', limit: 2 }], 'dead', 10_000);
      expect(await slots.acquire([{ key: 'k', limit: 2 }], 'x', 10_000)).toBeNull();
      now += 6000;
      await alive!.refresh();
      now += 6000;
      expect(await slots.holders('k')).toEqual(['alive']);
      expect(await slots.acquire([{ key: 'k', limit: 2 }], 'x', 10_000)).not.toBeNull();
    });

    it('limits floods with the same consume', async () => {
      const limiter = (await open()).floodLimiter({ keyPrefix: 'conversation:demo', points: 2, duration: 60 });
      await limiter.consume('1.2.3.4');
      await limiter.consume('1.2.3.4');
      const refused = await limiter.consume('1.2.3.4').catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(RateLimiterRes);
      expect((refused as RateLimiterRes).msBeforeNext).toBeGreaterThan(0);
      await limiter.consume('5.6.7.8');
    });

    it('answers a ping', async () => {
      await expect((await open()).ping()).resolves.toBeUndefined();
    });
  });
}

describe.skipIf(!REDIS_URL)('two instances on one Redis prefix', () => {
  it('share values handed out once, counters and stream slots', async () => {
    const now = 1_000_000;
    const prefix = `test:${randomUUID()}:`;
    const a = await RedisEphemeral.open(await connectRedis(REDIS_URL!, false), prefix, () => now);
    const b = await RedisEphemeral.open(await connectRedis(REDIS_URL!, false), prefix, () => now);
    try {
      await a.once('otr', 10).put('s', 'sealed', now + 1000);
      const taken = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).once('otr', 10).take('s')));
      expect(taken.filter((t) => t.state === 'available')).toHaveLength(1);
      await a.windows('login').hit('k', 60_000);
      expect((await b.windows('login').hit('k', 60_000)).count).toBe(2);
      expect(await a.slots.acquire([{ key: 'c', limit: 1 }], 'v', 10_000)).not.toBeNull();
      expect(await b.slots.acquire([{ key: 'c', limit: 1 }], 'v', 10_000)).toBeNull();
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe.skipIf(!REDIS_URL)('two instances on one Redis prefix, counting a known key', () => {
  it('count 50 concurrent hits of a key the other instance counted once each', async () => {
    const prefix = `test:${randomUUID()}:`;
    const a = await RedisEphemeral.open(await connectRedis(REDIS_URL!, false), prefix, () => 1_000_000);
    const b = await RedisEphemeral.open(await connectRedis(REDIS_URL!, false), prefix, () => 1_000_000);
    try {
      expect((await b.windows('replays').hitKnown('k', 60_000)).count).toBe(0);
      await a.windows('replays').hit('k', 60_000);
      const counts = await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).windows('replays').hitKnown('k', 60_000)));
      expect(counts.map((w) => w.count).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe.skipIf(!REDIS_URL)('the commands sent to Redis', () => {
  /** The name of every command the connection sends from now on. */
  const watch = (redis: RedisEphemeral['redis']) => {
    const sent: string[] = [];
    const sendCommand = redis.sendCommand.bind(redis);
    vi.spyOn(redis, 'sendCommand').mockImplementation((command, stream) => {
      sent.push(command.name);
      return sendCommand(command, stream);
    });
    return { sent };
  };
  afterEach(() => vi.restoreAllMocks());

  it("send each script's text once per connection, then only its SHA1 (EVALSHA)", async () => {
    const state = await RedisEphemeral.open(await connectRedis(REDIS_URL!, false), `test:${randomUUID()}:`, () => 1_000_000);
    try {
      const { sent } = watch(state.redis);
      for (let i = 0; i < 10; i++) {
        await state.windows('login').hit('k', 60_000);
        await state.once('otr', 10).take(`v${i}`);
      }
      const lease = await state.slots.acquire([{ key: 'c', limit: 2 }], 'v', 10_000);
      await lease!.refresh();
      await lease!.refresh();
      // Before: 23 EVALs, each carrying its script's text for Redis to hash and look up.
      expect(sent.filter((name) => name === 'eval').length).toBeLessThanOrEqual(4);
      expect(sent.filter((name) => name === 'evalsha').length).toBeGreaterThanOrEqual(19);
    } finally {
      await state.close();
    }
  });

  it('send a script again when Redis no longer holds it (a restart empties its script cache)', async () => {
    const state = await RedisEphemeral.open(await connectRedis(REDIS_URL!, false), `test:${randomUUID()}:`, () => 1_000_000);
    try {
      expect((await state.windows('login').hit('k', 60_000)).count).toBe(1);
      await state.redis.script('FLUSH');
      expect((await state.windows('login').hit('k', 60_000)).count).toBe(2);
      await state.once('otr', 10).put('v', 'sealed', 1_001_000);
      await state.redis.script('FLUSH');
      expect(await state.once('otr', 10).take('v')).toEqual({ state: 'available', value: 'sealed', expiresAt: 1_001_000 });
    } finally {
      await state.close();
    }
  });
});

describe('the persistence check', () => {
  /** A Redis whose CONFIG GET answers from `settings`, or refuses as a managed Redis does. */
  const redisWith = (settings: Record<string, string> | 'refused') =>
    ({
      config: (_get: string, name: string) =>
        settings === 'refused' ? Promise.reject(new Error("ERR unknown command 'CONFIG'")) : Promise.resolve([name, settings[name] ?? '']),
    }) as unknown as Parameters<typeof persistenceProblem>[0];

  it('finds RDB snapshots and AOF, and passes a Redis with neither', async () => {
    expect(await persistenceProblem(redisWith({ save: '', appendonly: 'no' }))).toBeNull();
    expect(await persistenceProblem(redisWith({ save: '3600 1', appendonly: 'no' }))).toMatch(/RDB snapshots \(save "3600 1"\)/);
    expect(await persistenceProblem(redisWith({ save: '', appendonly: 'yes' }))).toMatch(/AOF/);
  });

  it('cannot clear a Redis that refuses CONFIG, and says so', async () => {
    expect(await persistenceProblem(redisWith('refused'))).toMatch(
      /could not be read.*CONFIG GET was refused.*RDB snapshots and AOF are off/,
    );
  });
});

describe.skipIf(!REDIS_URL)('connecting to Redis', () => {
  it('accepts the test Redis, which runs without persistence', async () => {
    const redis = await connectRedis(REDIS_URL!, false);
    expect(await persistenceProblem(redis)).toBeNull();
    redis.disconnect();
  });
});

describe('an unreachable Redis', () => {
  it('is named without its password, with what to do', async () => {
    await expect(connectRedis('redis://user:hunter2@127.0.0.1:1', false)).rejects.toThrow(
      /redis:\/\/user:\*\*\*@127\.0\.0\.1:1.*SECURE_FORMS_REDIS_URL/,
    );
  });
});

describe('window counters in memory, at their bound', () => {
  it('drop the oldest windows first, and remember one that ended less than a window ago, as Redis does', async () => {
    let now = 1_000_000;
    const windows = new MemoryEphemeral(() => now).windows('replays');
    await windows.hit('oldest', 1000);
    await windows.hit('known', 1000);
    for (let i = 0; i < 99_998; i++) await windows.hit(`filler-${i}`, 1000);
    now += 1500;
    // One window past the bound: the oldest goes; the others ended less than a window ago.
    await windows.hit('new', 1000);
    expect((await windows.hitKnown('known', 1000)).count).toBe(1);
    expect((await windows.hitKnown('oldest', 1000)).count).toBe(0);
  });
});

describe('values handed out once, in memory, at their bound', () => {
  /** How many times the test's code walks a Map from now on (a sweep walks every entry). */
  const countWalks = () => {
    const walks = { count: 0 };
    const iterate = Map.prototype[Symbol.iterator];
    const entries = Map.prototype.entries;
    Map.prototype[Symbol.iterator] = Map.prototype.entries = function (this: Map<unknown, unknown>) {
      walks.count++;
      return entries.call(this);
    };
    return { walks, restore: () => void ((Map.prototype[Symbol.iterator] = iterate), (Map.prototype.entries = entries)) };
  };

  it('drop the oldest without walking every value on each put while full: expired ones are swept at most once a second', async () => {
    let now = 1_000_000;
    const once = new MemoryEphemeral(() => now).once('off-the-record', 10_000);
    for (let i = 0; i < 10_000; i++) await once.put(`filler-${i}`, 'v', now + 60_000);
    now += 100;
    const { walks, restore } = countWalks();
    try {
      for (let i = 0; i < 1000; i++) await once.put(`new-${i}`, 'v', now + 60_000);
    } finally {
      restore();
    }
    // Before: every put into the full store walked all 10,000 values (about 100 µs each).
    expect(walks.count).toBe(0);
    expect(await once.count()).toBe(10_000);
    expect((await once.take('filler-999')).state).toBe('expired');
    expect((await once.take('filler-1000')).state).toBe('available');
    expect((await once.take('new-999')).state).toBe('available');
  });

  it('still drop expired values before the oldest live one once a second has passed', async () => {
    let now = 1_000_000;
    const once = new MemoryEphemeral(() => now).once('off-the-record', 3);
    await once.put('oldest', 'v', now + 60_000);
    await once.put('short', 'v', now + 500);
    await once.put('other', 'v', now + 60_000);
    now += 1000;
    await once.put('new', 'v', now + 60_000);
    expect((await once.take('oldest')).state).toBe('available');
    expect((await once.take('short')).state).toBe('expired');
  });
});
