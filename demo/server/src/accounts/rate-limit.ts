/**
 * A fixed-window rate limiter in memory (one process). A deployment with several processes would
 * put Redis (INCR with EXPIRE) behind the same two methods.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(private readonly clock: () => number) {}

  /** Count one attempt for `key`; the seconds to wait when over `limit` in `windowMs`, else 0. */
  hit(key: string, limit: number, windowMs: number): number {
    const now = this.clock();
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (this.windows.size > 100_000) this.sweep(windowMs);
    return w.count > limit ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : 0;
  }

  /** The seconds to wait when `key` already has `limit` attempts in its current window, else 0. Counts nothing. */
  peek(key: string, limit: number, windowMs: number): number {
    const now = this.clock();
    const w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) return 0;
    return w.count >= limit ? Math.max(1, Math.ceil((w.start + windowMs - now) / 1000)) : 0;
  }

  private sweep(windowMs: number): void {
    const now = this.clock();
    for (const [key, w] of this.windows) if (now - w.start >= windowMs) this.windows.delete(key);
  }
}
