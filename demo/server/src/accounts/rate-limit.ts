/**
 * A fixed-window rate limiter on the ephemeral state's counters: in this process's memory, or in
 * Redis, where every instance counts in the same windows.
 */
import type { WindowCounters } from '../ephemeral/types.js';

export class RateLimiter {
  constructor(
    private readonly windows: WindowCounters,
    private readonly clock: () => number,
  ) {}

  /** Count one attempt for `key`; the seconds to wait when over `limit` in `windowMs`, else 0. */
  async hit(key: string, limit: number, windowMs: number): Promise<number> {
    const w = await this.windows.hit(key, windowMs);
    return w.count > limit ? Math.max(1, Math.ceil((w.endsAt - this.clock()) / 1000)) : 0;
  }

  /** The seconds to wait when `key` already has `limit` attempts in its current window, else 0. Counts nothing. */
  async peek(key: string, limit: number, windowMs: number): Promise<number> {
    const w = await this.windows.peek(key, windowMs);
    return w.count >= limit ? Math.max(1, Math.ceil((w.endsAt - this.clock()) / 1000)) : 0;
  }
}
