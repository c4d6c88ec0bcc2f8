/**
 * The Lua scripts of the Redis ephemeral state. Written by hand because each must read, decide and
 * write in one step (Redis runs a script atomically; a GET then a SET from the app would let two
 * instances both see the value), and on the app's clock, passed in as `now`, not Redis's own.
 * Values carry their deadline as "<deadline>:<rest>".
 */
import type { Redis } from 'ioredis';

/**
 * Take a value once. KEYS[1] the value; ARGV[1] now. Returns {0} expired or missing,
 * {1} handed out already, {2, value, deadline} the value (a tombstone left in its place until
 * the key's own expiry).
 */
export const TAKE_ONCE = `
local v = redis.call('GET', KEYS[1])
if not v then return {0} end
local sep = string.find(v, ':', 1, true)
local deadline = string.sub(v, 1, sep - 1)
if tonumber(deadline) <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return {0}
end
local value = string.sub(v, sep + 1)
if value == '' then return {1} end
redis.call('SET', KEYS[1], deadline .. ':', 'KEEPTTL')
return {2, value, deadline}
`;

/**
 * A fixed window. KEYS[1] the counter; ARGV[1] now, ARGV[2] the window (ms), ARGV[3] '1' to count
 * one, '0' to read, 'known' to count one only if the key was counted in its current window or the
 * one before (else {0, now}, nothing counted). A counter is kept one window past its end for that.
 * Returns {count, window start}.
 */
export const WINDOW = `
local now = tonumber(ARGV[1])
local width = tonumber(ARGV[2])
local start, count = now, 0
local v = redis.call('GET', KEYS[1])
if v then
  local sep = string.find(v, ':', 1, true)
  start = tonumber(string.sub(v, 1, sep - 1))
  count = tonumber(string.sub(v, sep + 1))
  if ARGV[3] == 'known' and now - start >= 2 * width then return {0, string.format('%.0f', now)} end
  if now - start >= width then start, count = now, 0 end
elseif ARGV[3] == 'known' then
  return {0, string.format('%.0f', now)}
end
if ARGV[3] ~= '0' then
  count = count + 1
  redis.call('SET', KEYS[1], string.format('%.0f:%d', start, count), 'PX', math.max(1, start + 2 * width - now))
end
return {count, string.format('%.0f', start)}
`;

/**
 * Take a slot under every key, or none. KEYS the slot sets; ARGV[1] now, ARGV[2] ttl (ms),
 * ARGV[3] the slot's member, ARGV[3 + i] the limit of KEYS[i]. Expired slots are dropped first.
 * Returns 1 taken, 0 full.
 */
export const ACQUIRE_SLOT = `
local now = tonumber(ARGV[1])
local ttl = tonumber(ARGV[2])
for i, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
  if redis.call('ZCARD', key) >= tonumber(ARGV[3 + i]) then return 0 end
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now + ttl, ARGV[3])
  redis.call('PEXPIRE', key, ttl)
end
return 1
`;

/** Push a held slot's deadline on. KEYS the slot sets; ARGV[1] now, ARGV[2] ttl, ARGV[3] member. */
export const REFRESH_SLOT = `
local deadline = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', deadline, ARGV[3])
  redis.call('PEXPIRE', key, ARGV[2])
end
return 1
`;

/** The scripts above as commands of one connection, resolving to what each script returns. */
export interface Scripts {
  takeOnce(key: string, now: number): Promise<[number, string?, string?]>;
  window(key: string, now: number, windowMs: number, mode: '1' | '0' | 'known'): Promise<[number, string]>;
  /** KEYS: the slot sets; ARGV: now, the lease's ms, the member, then each set's limit. */
  acquireSlot(keys: string[], now: number, ttlMs: number, member: string, limits: number[]): Promise<number>;
  refreshSlot(keys: string[], now: number, ttlMs: number, member: string): Promise<number>;
}

const scriptsByConnection = new WeakMap<Redis, Scripts>();

/**
 * The scripts of `redis`, defined on it once (ioredis's defineCommand): each call sends the
 * script's SHA1 (EVALSHA), and its text only when Redis does not hold it yet (after a restart, or
 * the first time), instead of the whole text for Redis to hash again on every call (EVAL).
 */
export function scriptsOf(redis: Redis): Scripts {
  let scripts = scriptsByConnection.get(redis);
  if (scripts) return scripts;
  redis.defineCommand('secureFormsTakeOnce', { numberOfKeys: 1, lua: TAKE_ONCE });
  redis.defineCommand('secureFormsWindow', { numberOfKeys: 1, lua: WINDOW });
  // Without numberOfKeys, the first argument says how many keys follow.
  redis.defineCommand('secureFormsAcquireSlot', { lua: ACQUIRE_SLOT });
  redis.defineCommand('secureFormsRefreshSlot', { lua: REFRESH_SLOT });
  const defined = redis as unknown as Record<string, (...args: (string | number)[]) => Promise<never>>;
  scripts = {
    takeOnce: (key, now) => defined.secureFormsTakeOnce!(key, now),
    window: (key, now, windowMs, mode) => defined.secureFormsWindow!(key, now, windowMs, mode),
    acquireSlot: (keys, now, ttlMs, member, limits) => defined.secureFormsAcquireSlot!(keys.length, ...keys, now, ttlMs, member, ...limits),
    refreshSlot: (keys, now, ttlMs, member) => defined.secureFormsRefreshSlot!(keys.length, ...keys, now, ttlMs, member),
  };
  scriptsByConnection.set(redis, scripts);
  return scripts;
}
