import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import type { HostToFrame } from '@secure-forms/shared/protocol';
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { parseHostMessage, type FrameMessage } from '../secure-form-invite/host-messages.js';

/** Off by a DOM rounding at most; the protocol caps heights at 10 000 px. */
const MAX_HEIGHT = 10_000;

/**
 * The frame's side of the frame protocol, for as long as the frame is connected: posts to the host
 * page's exact origin only, reads only messages from that origin and from the parent window
 * (checked by hand, `parseHostMessage`), and tells the host the page's height whenever it changes.
 * With no origin (the frame refused to start) it listens to nothing and posts nothing.
 */
export class HostChannel implements ReactiveController {
  readonly #origin: () => string | null;
  readonly #receive: (message: HostToFrame) => void;
  #resizeObserver: ResizeObserver | null = null;
  #lastHeight = -1;

  /**
   * @param origin The host page's origin, or null when the frame must not talk to anyone.
   * @param receive Called with each valid `open` or `close` from the host.
   */
  constructor(host: ReactiveControllerHost, origin: () => string | null, receive: (message: HostToFrame) => void) {
    this.#origin = origin;
    this.#receive = receive;
    host.addController(this);
  }

  hostConnected(): void {
    if (!this.#origin()) return;
    this.#resizeObserver = new ResizeObserver(() => this.#postHeight());
    this.#resizeObserver.observe(document.documentElement);
    // For the frame's whole life: the host's `close` may come at any time; `open` only once.
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

  #onMessage = (event: MessageEvent): void => {
    if (event.origin !== this.#origin() || event.source !== window.parent) return;
    const message = parseHostMessage(event.data);
    if (message) this.#receive(message);
  };
}
