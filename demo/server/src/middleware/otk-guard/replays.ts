/**
 * The replay budget of one issued key: how often a key known to be spent is looked up in the store
 * in a window. A key becomes known when it is spent by its use or refused as OTK_USED or
 * OTK_EXPIRED (its window opens); from then on, each presentation of it is counted before the
 * store is read, by the counter's atomic increment, and one that finds the budget used up is
 * refused with 429 before any read. So of any number of concurrent replays of a spent key, at most
 * the budget reach the store, on every instance that shares the counters (Redis).
 *
 * Presentations of a key that is not known yet are not counted: of 200 concurrent presentations of
 * a valid key, one wins and each of the others gets its exact answer, OTK_USED (round-trip.test.ts),
 * and their answers open the window. A key that works is never refused: it is not known until it
 * is spent. A key is remembered one window after its window ends, so a steady flood never finds
 * it forgotten; only after a quiet minute can one burst reach the store before its answers make
 * the key known again.
 *
 * Counted under a hash of the key, never the key itself, and not the hash the store keeps it under.
 * Written by hand rather than with a rate-limit library: the count must start on the answer (a
 * key becomes known once it is spent) and be checked before the next read, on the app's clock.
 */
import { hash } from 'node:crypto';
import type { WindowCounters } from '../../ephemeral/types.js';
import { Refusal } from '../../domain/refusal.js';
import { isApiRefusal } from '../../http/errors.js';

/** The counter of a key is named by 128 bits of SHA-256 over the key under this label. */
const LABEL = 'secure-forms otk replay budget\u0000';

/** Whether `error` (the answer's) says the key was presented again after it was spent or expired. */
const isReplayRefusal = (error: unknown): boolean => isApiRefusal(error) && (error.code === 'OTK_USED' || error.code === 'OTK_EXPIRED');

/** A presentation of a key: its counter's name, and whether the presentation was counted. */
export interface Presentation {
  readonly key: string;
  readonly counted: boolean;
}

export class ReplayBudget {
  constructor(
    private readonly windows: WindowCounters,
    private readonly windowMs: number,
    private readonly perKey: number,
    private readonly clock: () => number,
  ) {}

  /** Count a presentation of `otk` if the key is known; RATE_LIMITED, with Retry-After at its window's end, past the budget. */
  async admit(otk: string): Promise<Presentation> {
    const key = hash('sha256', LABEL + otk, 'buffer')
      .subarray(0, 16)
      .toString('base64url');
    const window = await this.windows.hitKnown(key, this.windowMs);
    // The count that opened the window (the key's use or first refused replay) is not a budgeted replay.
    if (window.count > this.perKey + 1) {
      throw new Refusal(
        'RATE_LIMITED',
        'This one-time key was already used or has expired, and it has been sent again too often. Stop sending it: get a new key (open the form again from the chat, or retrieve the answers again), then use that one.',
      ).retryAfter(Math.max(1, Math.ceil((window.endsAt - this.clock()) / 1000)));
    }
    return { key, counted: window.count > 0 };
  }

  /**
   * After the answer: a key spent by it (`ok`) or refused as spent or expired becomes known, once.
   * Never fails: the answer stands (a key spent, a submit key issued) when the counter cannot be
   * written (a full Redis); the key is then only not known, and its replays cost reads again.
   */
  async settle(presentation: Presentation, ok: boolean, error: unknown): Promise<void> {
    if (presentation.counted || !(ok || isReplayRefusal(error))) return;
    await this.windows.hit(presentation.key, this.windowMs).catch(() => undefined);
  }
}
