/** The ephemeral state the configuration asks for: Redis when a URL is set, else this process's memory. */
import { MemoryEphemeral } from './memory.js';
import type { EphemeralState } from './types.js';

export { redactRedisUrl, RedisRefused } from './redis-refused.js';
export type { EphemeralState } from './types.js';

/** Open it; throws RedisRefused when the Redis cannot be reached or persists (and that is not allowed). */
export async function openEphemeral(
  redis: { url: string; prefix: string; allowPersistence: boolean } | undefined,
  clock: () => number,
): Promise<EphemeralState> {
  if (!redis) return new MemoryEphemeral(clock);
  // The Redis client (ioredis, about 2 MB of heap and 20 MB resident with its code) is loaded
  // only here, at start, when a Redis URL is configured: a single-process deployment never loads it.
  const { connectRedis, RedisEphemeral } = await import('./redis.js');
  return RedisEphemeral.open(await connectRedis(redis.url, redis.allowPersistence), redis.prefix, clock);
}
