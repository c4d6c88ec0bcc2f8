import type { ReactiveController, ReactiveControllerHost } from 'lit';

/** What counts as the agent being active (restarts the idle timer). */
const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/**
 * How long before the idle clear the agent is warned, with one action to stay (WCAG 2.2.1 asks for
 * at least 20 s). The controller does not warn a timeout this short or shorter (a warning at once
 * would be announced again after every key press); the panel never runs one (`idleTimeoutMs`).
 */
export const IDLE_WARNING_MS = 30_000;

/**
 * The shortest idle timeout the panel runs; a shorter `idle-timeout-seconds` is treated as this.
 * Under a minute, the warning would either not fit (WCAG 2.2.1: at least 20 s before, one simple
 * action) or come as soon as the agent stops. The backend refuses such a site policy at start, and
 * PCI DSS 8.2.8 only asks for at most 15 minutes, so the floor loosens no policy that can be set.
 */
export const MIN_IDLE_TIMEOUT_MS = 60_000;

/** The idle timeout the panel runs for `seconds`, in ms: off (0) for 0 or less, else at least a minute. */
export function idleTimeoutMs(seconds: number): number {
  if (seconds <= 0) return 0;
  // Not a number (an unparsable attribute): the shortest timer rather than none.
  return Math.max(seconds * 1000 || 0, MIN_IDLE_TIMEOUT_MS);
}

/**
 * Where the host's idle clear stands, as the agent sees it: `warned` while the warning with one
 * action to stay is shown (`IDLE_WARNING_MS` before), `cleared` once everything was dropped (until
 * the agent continues or the scope changes).
 */
export type IdleState = 'active' | 'warned' | 'cleared';

/** What the idle controller asks of its host. */
export interface IdleOptions {
  /** How long the agent may be inactive, in ms; 0 or less: no timer (nothing is held, or it is off). */
  timeoutMs: () => number;
  /** The agent was inactive for `timeoutMs()`: drop everything (the state is `cleared` by then). */
  onIdle: () => void;
  /** The page is being hidden or unloaded (`pagehide`): drop everything now. */
  onPageHide: () => void;
  /** The page came back from the back/forward cache (`pageshow`, persisted). */
  onPageRestore: () => void;
}

/**
 * Whether `activity` is a press of "I'm still here": that press keeps the warning until its click,
 * since removing the button under the pointer at pointerdown would send the click to whatever lies
 * below it.
 */
export function pressesStay(activity: Event | undefined): boolean {
  return !!activity?.composedPath().some((node) => (node as Element).part?.contains('stay-button'));
}

/**
 * Watches the page while the host is connected: pointer, key, wheel and touch activity restarts
 * the idle timer; `pagehide` and a `pageshow` from the back/forward cache are handed to the host.
 * Holds the host's `IdleState` and asks for an update when it changes.
 */
export class IdleController implements ReactiveController {
  readonly #host: ReactiveControllerHost;
  readonly #options: IdleOptions;
  #state: IdleState = 'active';
  #timer: ReturnType<typeof setTimeout> | undefined;
  #warnTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(host: ReactiveControllerHost, options: IdleOptions) {
    this.#host = host;
    this.#options = options;
    host.addController(this);
  }

  /** Where the idle clear stands: `active`, `warned` (the warning is due) or `cleared`. */
  get state(): IdleState {
    return this.#state;
  }

  hostConnected(): void {
    this.#listen(addEventListener);
  }

  hostDisconnected(): void {
    this.#listen(removeEventListener);
    this.disarm();
  }

  /**
   * (Re)start the idle timer, when `timeoutMs()` says one runs; `activity` is the event that did
   * it. Any warning is over, unless `activity` is a press of "I'm still here" (its click is).
   */
  arm(activity?: Event): void {
    this.#stop(pressesStay(activity));
    const ms = this.#options.timeoutMs();
    if (ms <= 0) return;
    if (ms > IDLE_WARNING_MS) this.#warnTimer = setTimeout(() => this.#set('warned'), ms - IDLE_WARNING_MS);
    this.#timer = setTimeout(this.#onIdle, ms);
  }

  /** Stop the idle timer; any warning is over. */
  disarm(): void {
    this.#stop(false);
  }

  /** Forget an idle clear: the agent continues, or another scope starts. */
  reset(): void {
    this.#set('active');
  }

  /** Stop both timers, and end the warning unless `keepWarning`. */
  #stop(keepWarning: boolean): void {
    clearTimeout(this.#timer);
    clearTimeout(this.#warnTimer);
    this.#timer = this.#warnTimer = undefined;
    if (this.#state === 'warned' && !keepWarning) this.#set('active');
  }

  #set(state: IdleState): void {
    this.#state = state;
    this.#host.requestUpdate();
  }

  #listen(method: typeof addEventListener): void {
    method('pagehide', this.#options.onPageHide);
    method('pageshow', this.#onPageShow as EventListener);
    for (const type of ACTIVITY_EVENTS) method(type, this.#onActivity, { capture: true, passive: true });
  }

  #onIdle = (): void => {
    this.#set('cleared');
    this.#options.onIdle();
  };

  #onActivity = (event: Event): void => this.arm(event);

  #onPageShow = (event: PageTransitionEvent): void => {
    if (event.persisted) this.#options.onPageRestore();
  };
}
