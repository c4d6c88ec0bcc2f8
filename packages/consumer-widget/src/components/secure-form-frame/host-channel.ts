import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { frameStart } from '../../frame/frame-start.js';
import type { FrameMessage } from '../secure-form-invite/host-messages.js';

/** Off by a DOM rounding at most; the protocol caps heights at 10 000 px. */
const MAX_HEIGHT = 10_000;

/**
 * The frame's side of the frame protocol, for as long as the frame is connected: posts to the host
 * page's exact origin only, reads the host's `close` only from that origin and from the parent
 * window (checked by hand, `parseHostMessage`, from the page's first script: `frame-start.ts`;
 * `open` is the first script's, `takeOpen`), and tells
 * the host the page's height whenever it changes,
 * and where the focused element is after each key pressed in the form (`focus`).
 * With no origin (the frame refused to start) it listens to nothing and posts nothing.
 */
export class HostChannel implements ReactiveController {
  readonly #origin: () => string | null;
  readonly #onClose: () => void;
  #resizeObserver: ResizeObserver | null = null;
  #lastHeight = -1;

  /**
   * @param origin The host page's origin, or null when the frame must not talk to anyone.
   * @param onClose Called at each valid `close` from the host.
   */
  constructor(host: ReactiveControllerHost & HTMLElement, origin: () => string | null, onClose: () => void) {
    this.#origin = origin;
    this.#onClose = onClose;
    host.addController(this);
    // On the frame element, so the listener goes with it: keys pressed in the form come up to it
    // from the field (they cross shadow roots), not keys pressed with nothing focused.
    host.addEventListener('keyup', this.#postFocus);
  }

  hostConnected(): void {
    if (!this.#origin()) return;
    this.#resizeObserver = new ResizeObserver(() => this.#postHeight());
    this.#resizeObserver.observe(document.documentElement);
    // For the frame's whole life: the host's `close` may come at any time.
    window.addEventListener('message', this.#onMessage);
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.#onMessage);
    this.#resizeObserver?.disconnect();
  }

  /** Posts `message` to the host page, at its exact origin, marked with the frame protocol. */
  post(message: FrameMessage): void {
    const origin = this.#origin();
    if (origin) window.parent.postMessage({ protocol: FRAME_PROTOCOL, ...message }, origin);
  }

  #postHeight(): void {
    const height = Math.min(MAX_HEIGHT, Math.ceil(document.documentElement.getBoundingClientRect().height));
    if (height === this.#lastHeight) return;
    this.#lastHeight = height;
    this.post({ type: 'resize', height });
  }

  /**
   * Accessibility workaround (WCAG 2.4.11 Focus Not Obscured, 2.4.7 Focus Visible) for WebKit:
   * Chromium and Firefox scroll the host page's scroll containers (the chat transcript around this
   * frame) to show an element focused in a cross-origin frame; WebKitGTK 2.50 does not, or stops
   * short, so a field reached with Tab could lie below the transcript's visible part. After each
   * key (Tab, Shift+Tab, Enter on an error summary's link) the host is told where the element that
   * has focus now is (the key's target: keyup goes to it), and brings that strip of the frame into
   * view. Only where it is, in this frame's viewport: never what it is or holds. Not `focusin`:
   * between two elements of one shadow root it stops at that root (the DOM's retargeting).
   */
  #postFocus = (event: Event): void => {
    const { top, bottom } = (event.composedPath()[0] as Element).getBoundingClientRect();
    this.post({ type: 'focus', top, bottom });
  };

  #onMessage = (event: MessageEvent): void => {
    if (event.origin !== this.#origin() || event.source !== window.parent) return;
    if (frameStart().parseHostMessage(event.data)?.type === 'close') this.#onClose();
  };
}
