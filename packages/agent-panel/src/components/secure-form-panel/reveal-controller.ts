import type { ReactiveController, ReactiveControllerHost } from 'lit';
import * as m from './messages.js';

/** How long a copied value may stay on the clipboard before the panel clears it. */
export const CLIPBOARD_CLEAR_MS = 30_000;

/** How long one revealed value stays visible before it is hidden again. */
export const REVEAL_MS = 30_000;

/** What the reveal controller asks of its host. */
export interface RevealOptions {
  /**
   * Drop the off-the-record values whose time is up at `now`, calling `onDrop` with each dropped
   * field's key; return whether a countdown still runs.
   */
  expire: (now: number, onDrop: (key: string) => void) => boolean;
  /** Tell the agent something through the live region. */
  announce: (text: string) => void;
}

/**
 * The timers around one revealed value: at most one is revealed, and only for `REVEAL_MS`; a
 * copied value is cleared from the clipboard after `CLIPBOARD_CLEAR_MS`; the off-the-record
 * countdown ticks every second while one runs. None of these values is ever logged or stored.
 */
export class RevealController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: RevealOptions;
  #revealedKey: string | null = null;
  #revealTimer: ReturnType<typeof setTimeout> | undefined;
  #tickTimer: ReturnType<typeof setInterval> | undefined;
  /** What this panel last put on the clipboard, until the clear is done. Never rendered. */
  #copied: { text: string; timer: ReturnType<typeof setTimeout> } | null = null;

  constructor(host: ReactiveControllerHost, options: RevealOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** The key of the one revealed field, if any. */
  get revealedKey(): string | null {
    return this.#revealedKey;
  }

  hostDisconnected(): void {
    this.reset();
  }

  /** Reveal the field `key` (hiding any other), or hide it if it is the one revealed. */
  toggle(key: string): void {
    const hide = this.#revealedKey === key;
    this.hide();
    if (hide) return;
    this.#revealedKey = key;
    this.#revealTimer = setTimeout(() => this.hide(), REVEAL_MS);
    this.#host.requestUpdate();
  }

  /** Hide the revealed value, if any. */
  hide(): void {
    clearTimeout(this.#revealTimer);
    if (this.#revealedKey === null) return;
    this.#revealedKey = null;
    this.#host.requestUpdate();
  }

  /**
   * Copy one value. After 30 s the clipboard is cleared, but only if it still holds what this
   * panel wrote (the agent may have copied something else since); where the browser refuses to
   * let the panel read the clipboard, it is left alone.
   */
  async copy(text: string): Promise<void> {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      this.#options.announce(m.copyFailed());
      return;
    }
    if (this.#copied) clearTimeout(this.#copied.timer);
    this.#copied = { text, timer: setTimeout(() => void this.clearClipboard(), CLIPBOARD_CLEAR_MS) };
    this.#options.announce(m.copied());
  }

  /** Clear the clipboard now if it still holds what this panel copied. */
  async clearClipboard(): Promise<void> {
    const copied = this.#copied;
    if (!copied) return;
    this.#copied = null;
    clearTimeout(copied.timer);
    try {
      if ((await navigator.clipboard.readText()) === copied.text) await navigator.clipboard.writeText('');
    } catch {
      // Reading (or writing) the clipboard was refused: nothing more the page can do.
    }
  }

  /** Drop off-the-record values whose time is up; keep a 1 s tick while any countdown runs. */
  tick = (): void => {
    const pending = this.#options.expire(Date.now(), (key) => {
      if (this.#revealedKey === key) this.hide();
    });
    if (pending) this.#tickTimer ??= setInterval(this.tick, 1000);
    else this.#stopTick();
    this.#host.requestUpdate();
  };

  /** Hide the revealed value, stop the countdown and clear the clipboard (everything was dropped). */
  reset(): void {
    this.hide();
    this.#stopTick();
    void this.clearClipboard();
  }

  #stopTick(): void {
    clearInterval(this.#tickTimer);
    this.#tickTimer = undefined;
  }
}
