import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What counts as the agent being active (restarts the idle timer). */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** What the idle controller asks of its host. */
export interface IdleOptions {
  /** How long the agent may be inactive, in ms; 0 or less: no timer (nothing is held, or it is off). */
  timeoutMs: () => number;
  /** The agent was inactive for `timeoutMs()`. */
  onIdle: () => void;
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

  /** (Re)start the idle timer, when `timeoutMs()` says one runs. */
  arm(): void {
    this.disarm();
    const ms = this.#options.timeoutMs();
    if (ms > 0) this.#timer = setTimeout(this.#options.onIdle, ms);
  }

  /** Stop the idle timer. */
  disarm(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #listen(method: typeof addEventListener): void {
    method('pagehide', this.#options.onPageHide);
    method('pageshow', this.#onPageShow as EventListener);
    for (const type of ACTIVITY_EVENTS) method(type, this.#onActivity, { capture: true, passive: true });
  }

  #onActivity = (): void => this.arm();

  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) this.#options.onPageRestore();
  };
}
