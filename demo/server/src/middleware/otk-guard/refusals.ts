/**
 * Refused one-time keys counted per key (an address, a guessed resource) in fixed windows on the
 * injectable clock. Written here rather than taken from a rate-limit library because the guard
 * needs the count itself (its delay grows with it) and the tests move the clock.
 */
export class RefusalCounter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly clock: () => number,
    private readonly windowMs: number,
    /** Past this many keys the expired windows are swept, then the oldest dropped: memory stays bounded. */
    private readonly maxKeys = 100_000,
  ) {}

  /** Count one refusal for `key`; returns the refusals in its current window, this one included. */
  hit(key: string): number {
    const now = this.clock();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (this.windows.size > this.maxKeys) this.trim(now);
    return w.count;
  }

  /** The refusals counted for `key` in its current window. */
  count(key: string): number {
    const w = this.windows.get(key);
    return w && this.clock() - w.start < this.windowMs ? w.count : 0;
  }

  private trim(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= this.windowMs) this.windows.delete(key);
    // Still too many live windows (a flood of distinct keys): drop the oldest; Map keeps insertion order.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= this.maxKeys) break;
      this.windows.delete(key);
    }
  }
}
