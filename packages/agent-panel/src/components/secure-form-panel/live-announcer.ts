import type { ReactiveControllerHost } from 'lit';
import * as m from './messages.js';

/** Seconds left at which screen readers hear the off-the-record countdown. */
export const COUNTDOWN_STEPS = [60, 30, 10];

/**
 * What the host's polite live region says, and when screen readers hear the off-the-record
 * countdown. The host renders `text` in a `role="status"` element that is always in the DOM. No
 * lifecycle of its own: the host resets it when it drops everything.
 */
export class LiveAnnouncer {
  readonly #host: Pick<ReactiveControllerHost, 'requestUpdate' | 'updateComplete'>;
  #text = '';
  /** The last countdown step reached (seconds left; `Infinity`: none yet), `null` while no countdown runs. */
  #step: number | null = null;

  constructor(host: Pick<ReactiveControllerHost, 'requestUpdate' | 'updateComplete'>) {
    this.#host = host;
  }

  /** What the live region says now. */
  get text(): string {
    return this.#text;
  }

  /** Say `text` in the live region. */
  async announce(text: string): Promise<void> {
    // Clear first so that the same text twice is announced twice.
    this.#set('');
    await this.#host.updateComplete;
    this.#set(text);
  }

  /**
   * The off-the-record countdown ticks on screen every second, outside any live region; screen
   * readers hear it at 60, 30 and 10 s left instead. A countdown that starts below a step waits
   * for the next one, so that "Answers ready" is not talked over. `soonest`: when the first
   * off-the-record values are dropped (epoch ms), `null` when none are held.
   */
  countdown(soonest: number | null, now: number): void {
    if (soonest === null) return void (this.#step = null);
    const left = Math.ceil((soonest - now) / 1000);
    const step = COUNTDOWN_STEPS.findLast((s) => left <= s) ?? Infinity;
    if (this.#step !== null && step < this.#step) void this.announce(m.countdownSoon(left));
    if (this.#step === null || step < this.#step) this.#step = step;
  }

  /** Say nothing, and forget the countdown (everything was dropped). */
  reset(): void {
    this.#step = null;
    this.#set('');
  }

  #set(text: string): void {
    this.#text = text;
    this.#host.requestUpdate();
  }
}
