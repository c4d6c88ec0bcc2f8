/**
 * The ephemeral state in Redis, shared by every instance that uses the same Redis and key prefix.
 * One ioredis connection for commands; the event log opens its own for its blocking read.
 *
 * Off-the-record values must never reach a disk, so `connectRedis` refuses a Redis that persists
 * (RDB snapshots or AOF) unless the operator says it may.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RateLimiterRedis } from 'rate-limiter-flexible';
import { RedisEventLog } from '../events/redis-log.js';
import { RedisRefused, redactRedisUrl } from './redis-refused.js';
import { scriptsOf } from './redis-scripts.js';
import type { EphemeralState, FloodLimiterOptions, OnceStore, SlotLease, StreamSlots, Took, Window, WindowCounters } from './types.js';

/**
 * Whether the Redis persists what it holds: `CONFIG GET save` (RDB snapshot rules, empty when
 * off) and `CONFIG GET appendonly`. A Redis that refuses CONFIG (a managed service, an ACL)
 * cannot be checked: that is refused too, with the same way out.
 */
export async function persistenceProblem(redis: Pick<Redis, 'config'>): Promise<string | null> {
  let save: string, appendonly: string;
  try {
    save = (await redis.config('GET', 'save'))[1] ?? '';
    appendonly = (await redis.config('GET', 'appendonly'))[1] ?? 'no';
  } catch (error) {
    return `its persistence settings could not be read (CONFIG GET was refused: ${error instanceof Error ? error.message : String(error)}); make sure RDB snapshots and AOF are off`;
  }
  const on: string[] = [];
  if (save.trim() !== '') on.push(`RDB snapshots (save "${save}")`);
  if (appendonly === 'yes') on.push('AOF (appendonly yes)');
  return on.length ? `it persists to disk: ${on.join(' and ')}; run it with --save '' --appendonly no` : null;
}

/**
 * Connect to `url` and check it: reachable, and not persisting unless `allowPersistence`. Throws
 * RedisRefused (closing the connection) when it cannot be used.
 */
export async function connectRedis(url: string, allowPersistence: boolean): Promise<Redis> {
  // Not enableAutoPipelining, which would send the commands of one turn of the event loop in one
  // write: with it, the event replay test died of an uncaught TypeError inside ioredis
  // (autoPipelining.js, "results[i] is not iterable"), as ioredis issue #1931 reports with
  // rate-limiter-flexible's defined commands, which this connection also carries.
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 2 });
  // Errors surface through the commands that fail; without a listener ioredis would print each reconnection.
  redis.on('error', () => undefined);
  try {
    await redis.connect();
  } catch (error) {
    redis.disconnect();
    throw new RedisRefused(
      `Redis at ${redactRedisUrl(url)} could not be reached (${error instanceof Error ? error.message : String(error)}). Start it, or correct SECURE_FORMS_REDIS_URL.`,
    );
  }
  const problem = allowPersistence ? null : await persistenceProblem(redis);
  if (problem) {
    redis.disconnect();
    throw new RedisRefused(
      `Redis at ${redactRedisUrl(url)} is not used: ${problem}. Off-the-record values must never reach a disk. If you have made sure they cannot (an encrypted, memory-only volume), set SECURE_FORMS_REDIS_ALLOW_PERSISTENCE=1.`,
    );
  }
  return redis;
}

class RedisOnce implements OnceStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: () => number,
  ) {}

  async put(key: string, value: string, expiresAt: number): Promise<void> {
    await this.redis.set(this.prefix + key, `${expiresAt}:${value}`, 'PX', Math.max(1, expiresAt - this.clock()));
  }

  async take(key: string): Promise<Took> {
    const [state, value, deadline] = await scriptsOf(this.redis).takeOnce(this.prefix + key, this.clock());
    if (state === 2) return { state: 'available', value: value!, expiresAt: Number(deadline) };
    return state === 1 ? { state: 'handed-out' } : { state: 'expired' };
  }

  async peek(key: string): Promise<{ value: string; expiresAt: number } | null> {
    const stored = await this.redis.get(this.prefix + key);
    const sep = stored?.indexOf(':') ?? -1;
    if (!stored || sep === stored.length - 1) return null;
    const expiresAt = Number(stored.slice(0, sep));
    return expiresAt > this.clock() ? { value: stored.slice(sep + 1), expiresAt } : null;
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }

  async count(): Promise<number> {
    const now = this.clock();
    let n = 0;
    for await (const keys of this.redis.scanStream({ match: `${this.prefix}*`, count: 500 }) as AsyncIterable<string[]>) {
      for (const value of keys.length ? await this.redis.mget(keys) : []) {
        if (!value) continue;
        const sep = value.indexOf(':');
        if (sep < value.length - 1 && Number(value.slice(0, sep)) > now) n++;
      }
    }
    return n;
  }

  /** Redis drops expired keys itself; a value past its app-clock deadline reads as expired. */
  sweep(): Promise<void> {
    return Promise.resolve();
  }
}

class RedisWindows implements WindowCounters {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: () => number,
  ) {}

  private async run(key: string, windowMs: number, mode: '1' | '0' | 'known'): Promise<Window> {
    const [count, start] = await scriptsOf(this.redis).window(this.prefix + key, this.clock(), windowMs, mode);
    return { count, endsAt: Number(start) + windowMs };
  }

  hit(key: string, windowMs: number): Promise<Window> {
    return this.run(key, windowMs, '1');
  }

  peek(key: string, windowMs: number): Promise<Window> {
    return this.run(key, windowMs, '0');
  }

  hitKnown(key: string, windowMs: number): Promise<Window> {
    return this.run(key, windowMs, 'known');
  }
}

class RedisSlots implements StreamSlots {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly clock: () => number,
  ) {}

  async acquire(caps: { key: string; limit: number }[], holder: string, ttlMs: number): Promise<SlotLease | null> {
    const keys = caps.map((c) => this.prefix + c.key);
    const member = `${holder}\u0000${randomUUID()}`;
    const limits = caps.map((c) => (Number.isFinite(c.limit) ? c.limit : Number.MAX_SAFE_INTEGER));
    const taken = await scriptsOf(this.redis).acquireSlot(keys, this.clock(), ttlMs, member, limits);
    if (taken !== 1) return null;
    let released = false;
    return {
      refresh: async () => {
        if (!released) await scriptsOf(this.redis).refreshSlot(keys, this.clock(), ttlMs, member);
      },
      release: async () => {
        if (released) return;
        released = true;
        const pipeline = this.redis.pipeline();
        for (const key of keys) pipeline.zrem(key, member);
        await pipeline.exec();
      },
    };
  }

  private live(key: string): Promise<string[]> {
    return this.redis.zrangebyscore(this.prefix + key, `(${this.clock()}`, '+inf');
  }

  async count(key: string): Promise<number> {
    return (await this.live(key)).length;
  }

  async holders(key: string): Promise<string[]> {
    return [...new Set((await this.live(key)).map((member) => member.slice(0, member.indexOf('\u0000'))))];
  }
}

/** The ephemeral state in Redis under `prefix` (every key starts with it). */
export class RedisEphemeral implements EphemeralState {
  readonly kind = 'redis' as const;
  readonly slots: StreamSlots;

  /** The state under `prefix` on `redis` (connectRedis), its event log's reader started. */
  static async open(redis: Redis, prefix: string, clock: () => number): Promise<RedisEphemeral> {
    return new RedisEphemeral(redis, prefix, clock, await RedisEventLog.open(redis, `${prefix}events`));
  }

  private constructor(
    /** The command connection. Closed by `close()`. */
    readonly redis: Redis,
    /** Every key starts with it: instances that share state share the prefix. */
    readonly prefix: string,
    private readonly clock: () => number,
    readonly events: RedisEventLog,
  ) {
    this.slots = new RedisSlots(redis, `${prefix}slots:`, clock);
  }

  /**
   * `maxEntries` bounds only the memory implementation: Redis is bounded by its own `maxmemory`
   * (docs/deployment.md: `noeviction`, so a full Redis refuses a value rather than dropping one).
   */
  once(namespace: string, _maxEntries: number): OnceStore {
    return new RedisOnce(this.redis, `${this.prefix}once:${namespace}:`, this.clock);
  }

  windows(namespace: string): WindowCounters {
    return new RedisWindows(this.redis, `${this.prefix}window:${namespace}:`, this.clock);
  }

  floodLimiter(options: FloodLimiterOptions): RateLimiterRedis {
    return new RateLimiterRedis({ ...options, storeClient: this.redis, keyPrefix: `${this.prefix}flood:${options.keyPrefix}` });
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
