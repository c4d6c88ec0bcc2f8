import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Whether the host may render answers: not `hidden`, and laid out. Notices `display: none` on the
 * host or an ancestor (its box shrinks to nothing), so the host can render no answer at all while
 * it is not laid out. The change is applied in the next frame: re-rendering inside the observer's
 * own frame would resize the host again there ("ResizeObserver loop completed with undelivered
 * notifications").
 */
export class VisibilityController implements ReactiveController {
  readonly #host: ReactiveControllerHost & HTMLElement;
  #rendered = true;
  readonly #resize = new ResizeObserver(([entry]) => {
    const { width, height } = entry!.contentRect;
    requestAnimationFrame(() => {
      const rendered = width > 0 || height > 0;
      if (rendered === this.#rendered) return;
      this.#rendered = rendered;
      this.#host.requestUpdate();
    });
  });

  constructor(host: ReactiveControllerHost & HTMLElement) {
    this.#host = host;
    host.addController(this);
  }

  /** `false` while the host is `hidden` or its box has no size (`display: none` on it or an ancestor). */
  get visible(): boolean {
    return !this.#host.hidden && this.#rendered;
  }

  hostConnected(): void {
    this.#resize.observe(this.#host);
  }

  hostDisconnected(): void {
    this.#resize.disconnect();
  }
}
