/**
 * Refused one-time keys counted per key (an address, a guessed resource) in fixed windows on the
 * injectable clock, in the ephemeral state's counters (across instances on Redis: a guesser
 * spread over instances meets the same count). Not taken from a rate-limit library because the
 * guard needs the count itself (its delay grows with it) and the tests move the clock.
 */
import type { WindowCounters } from '../../ephemeral/types.js';

export class RefusalCounter {
  constructor(
    private readonly windows: WindowCounters,
    private readonly windowMs: number,
  ) {}

  /** Count one refusal for `key`; returns the refusals in its current window, this one included. */
  async hit(key: string): Promise<number> {
    return (await this.windows.hit(key, this.windowMs)).count;
  }

  /** The refusals counted for `key` in its current window. */
  async count(key: string): Promise<number> {
    return (await this.windows.peek(key, this.windowMs)).count;
  }
}
