/**
 * What start-up says about a Redis it cannot use, apart from the Redis client itself (redis.ts),
 * which is loaded only when a Redis URL is configured.
 */

/** Redis could not be used as configured: the message says what to do. */
export class RedisRefused extends Error {
  override readonly name = 'RedisRefused';
}

/** `url` without its password, for messages and logs. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the configured Redis URL';
  }
}
