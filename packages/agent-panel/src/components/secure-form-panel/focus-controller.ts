import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Keeps focus in the host when an update removes the element that has it. WCAG 2.4.3: a value,
 * notice or button that disappears under the agent's focus must not drop focus to the page's
 * body, where a screen reader or keyboard user loses their place. Focus goes where `after()` said,
 * else to the host's heading (`#title`).
 */
export class FocusController implements ReactiveController {
  readonly #host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment };
  /** The element that had focus in the shadow root before this update, if any. */
  #focused: Element | null = null;
  /** Where focus goes when the update removes the focused element (a selector in the shadow root). */
  #target = '';

  constructor(host: ReactiveControllerHost & { readonly renderRoot: HTMLElement | DocumentFragment }) {
    this.#host = host;
    host.addController(this);
  }

  /** Where focus goes if the next update removes the element that has it (a selector in the shadow root). */
  after(selector: string): void {
    this.#target = selector;
    this.#host.requestUpdate();
  }

  hostUpdate(): void {
    this.#focused = (this.#host.renderRoot as ShadowRoot | undefined)?.activeElement ?? null;
  }

  hostUpdated(): void {
    const before = this.#focused;
    const target = this.#target;
    this.#focused = null;
    this.#target = '';
    if (!before || before.isConnected) return;
    const root = this.#host.renderRoot as ShadowRoot;
    (root.querySelector<HTMLElement>(target || '#title') ?? root.querySelector<HTMLElement>('#title'))?.focus();
  }
}
