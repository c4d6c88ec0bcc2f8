import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What counts as the agent being active (restarts the idle timer). */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * How long before the idle clear the agent is warned, with one action to stay (WCAG 2.2.1 asks for
 * at least 20 s). A timeout this short or shorter cannot give that time, and is not warned: a
 * warning at once would be announced again after every key press.
 */
export const IDLE_WARNING_MS = 30_000;

/** What the idle controller asks of its host. */
export interface IdleOptions {
  /** How long the agent may be inactive, in ms; 0 or less: no timer (nothing is held, or it is off). */
  timeoutMs: () => number;
  /** The agent was inactive for `timeoutMs()`. */
  onIdle: () => void;
  /** The idle clear comes in `IDLE_WARNING_MS` (or sooner): warn the agent. */
  onWarn: () => void;
  /** The timer was restarted by `activity` (an event), or by the host: any warning is over. */
  onRearm: (activity?: Event) => void;
  /** The page is being hidden or unloaded (`pagehide`): drop everything now. */
  onPageHide: () => void;
  /** The page came back from the back/forward cache (`pageshow`, persisted). */
  onPageRestore: () => void;
}

/**
 * Watches the page while the host is connected: pointer, key, wheel and touch activity restarts
 * the idle timer; `pagehide` and a `pageshow` from the back/forward cache are handed to the host.
 */
export class IdleController implements ReactiveController {
  readonly #options: IdleOptions;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #warnTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: IdleOptions) {
    this.#options = options;
    host.addController(this);
  }

  hostConnected(): void {
    this.#listen(addEventListener);
  }

  hostDisconnected(): void {
    this.#listen(removeEventListener);
    this.disarm();
  }

  /** (Re)start the idle timer, when `timeoutMs()` says one runs; `activity` is the event that did it. */
  arm(activity?: Event): void {
    this.disarm();
    this.#options.onRearm(activity);
    const ms = this.#options.timeoutMs();
    if (ms <= 0) return;
    if (ms > IDLE_WARNING_MS) this.#warnTimer = setTimeout(this.#options.onWarn, ms - IDLE_WARNING_MS);
    this.#timer = setTimeout(this.#options.onIdle, ms);
  }

  /** Stop the idle timer. */
  disarm(): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#warnTimer);
    this.#timer = this.#warnTimer = undefined;
  }

  #listen(method: typeof addEventListener): void {
    method('pagehide', this.#options.onPageHide);
    method('pageshow', this.#onPageShow as EventListener);
    for (const type of ACTIVITY_EVENTS) method(type, this.#onActivity, { capture: true, passive: true });
  }

  #onActivity = (event: Event): void => this.arm(event);

  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) this.#options.onPageRestore();
  };
}
