/**
 * The form's frame on the brand's page and the frame protocol with it: the iframe from the PCI
 * origin, `open` with the visitor's token posted at the frame's `ready` (the frame opens the
 * invitation and loads its form in one request), focus into the frame's window, the frame's height,
 * and Close's `close` handshake with its fallback. The frame never tells the host a field value:
 * only `ready`, `opened` (the opens left), `resize`, `focus` (where, never what), `submitted`,
 * `closed`, `escape`, `confirming` or `error`.
 *
 * A function over closures rather than a class: the names stay local and minify, in the one
 * script a brand adds.
 */
import { VISITOR_SIDE_ERROR_CODE_SET } from '@secure-forms/shared/error-codes';
import { FRAME_PROTOCOL, frameUrl } from '@secure-forms/shared/frame-url';
import { el } from './dom.js';
import { parseFrameMessage, type FrameMessage } from './host-messages.js';
import { pciOriginOf } from './pci-origin.js';

/** How long Close waits for the frame's answer to `close` before closing anyway (a hung frame). */
const CLOSE_ANSWER_MS = 2000;

/** What the channel reads from the element, as it stands when a message comes or goes. */
export interface FrameHost {
  readonly invitationId: string;
  readonly pciOrigin: string;
  readonly siteId: string;
  /** The visitor's conversation token: posted to the frame in `open`, and nowhere else. */
  readonly conversationToken: string;
}

/** The frame's messages the element acts on; the channel handles `ready`, `resize`, `focus` and `confirming` itself. */
export type FrameOutcome = Extract<FrameMessage, { type: 'opened' | 'submitted' | 'closed' | 'escape' | 'error' }>;

/** An open frame and its channel. */
export interface FrameChannel {
  /** The iframe, not yet placed: the element puts it inline or in its dialog. */
  readonly iframe: HTMLIFrameElement;
  /**
   * The dialog's Close or Escape on its host side. A ready frame is asked first (`close`): only it
   * knows whether answers would be lost, and it answers `escape` (close now) or `confirming` (it
   * asks the visitor). `closeNow` runs at once for a frame that is not ready (nothing is typed),
   * and for one that does not answer in time: Close must always work.
   */
  ask(closeNow: () => void): void;
  /** Stops listening and removes the iframe. */
  close(): void;
}

/** This page's origin, as the frame's URL names it for the frame to talk to. */
export function hostOrigin(): string {
  // `self.origin`, not `location.origin`: a chat rendered in an about:blank or srcdoc iframe (as
  // many chat widgets are) has the brand's origin, but its URL's origin is "null".
  return typeof self.origin === 'string' && self.origin !== 'null' ? self.origin : location.origin;
}

/**
 * Creates the frame for `host`'s invitation, served from `origin` in `locale`, and listens to it:
 * only messages from that exact origin and that frame's window count. `rendered` runs once, at the
 * frame's first `resize`: its element has rendered, so every script of its page has arrived.
 */
export function openFrameChannel(
  host: FrameHost,
  origin: string,
  locale: string,
  handle: (message: FrameOutcome) => void,
  rendered: () => void,
): FrameChannel {
  // Scripts, its own origin (for its fetches) and forms; no top navigation, popups or downloads.
  const iframe = el('iframe', { part: 'frame', class: 'frame', sandbox: 'allow-scripts allow-same-origin allow-forms' });
  iframe.referrerPolicy = 'origin';
  iframe.src = frameUrl(origin, { siteId: host.siteId, hostOrigin: hostOrigin(), locale });
  /** The frame said `ready`. */
  let ready = false;
  /** The frame has sent its first `resize`. */
  let shown = false;
  /** Set while Close waits for the frame's answer to `close`; closes anyway when it fires. */
  let closeTimer = 0;
  /** Beside the iframe, at the strip of it where focus is (`focus`); placed on the first one. */
  const focusStrip = el('div', { class: 'focus-strip', 'aria-hidden': 'true' });

  const onMessage = (event: MessageEvent): void => {
    const from = pciOriginOf(host.pciOrigin);
    if (!from || event.origin !== from || event.source !== iframe.contentWindow || event.source === null) return;
    const message = parseFrameMessage(event.data, VISITOR_SIDE_ERROR_CODE_SET);
    if (!message) return;
    switch (message.type) {
      case 'ready':
        // Only the first `ready` counts: a frame that reloads gets no second `open`.
        if (ready) return;
        ready = true;
        // `open` first: the frame asks for the form the moment it arrives. The focus steps below
        // (a style and layout update, focus calls into the frame's process) took about 4 ms
        // before it went, in a Chromium trace of a second open. Only to the exact PCI origin.
        iframe.contentWindow?.postMessage(
          { protocol: FRAME_PROTOCOL, type: 'open', invitationId: host.invitationId, conversationToken: host.conversationToken },
          from,
        );
        // The frame's page is there: give its window the focus the iframe element holds, so that
        // keys go into the form whatever opened it. Not if focus moved elsewhere meanwhile.
        // Accessibility workaround, with the element focusing the iframe as it is attached, before
        // its cross-origin page loads (form-frame.ts). Focused only after that page had
        // loaded, Chromium sometimes kept delivering keys to the host: Tab from the frame left the
        // page and typed digits were lost (2 of 12 runs). Focused while still about:blank, the
        // focus carried over after a key press (12 of 12) but never after a pointer click (0 of 4):
        // the first Tab went to the host's next field. Both halves are needed.
        // A third: when the PCI site's process already runs (the warm-up page, warm-frame.ts), the
        // iframe stays Chromium's focused frame across its move into that process, but the process
        // is never told its page has focus (the frame's `document.hasFocus()` stays false, and after
        // a pointer click the first Tab went nowhere, 6 of 6); focusing its window then changes
        // nothing. This page then reads `hasFocus()` false although it holds the focused element:
        // taking the focus back to this window first makes the frame's focus a real change.
        if ((iframe.getRootNode() as Document | ShadowRoot).activeElement === iframe) {
          if (!document.hasFocus()) window.focus();
          iframe.contentWindow?.focus();
        }
        return;
      case 'resize':
        // Inline only: in the dialog the stylesheet makes the frame fill the dialog (see styles).
        iframe.style.height = `${Math.ceil(message.height)}px`;
        if (!shown) {
          shown = true;
          rendered();
        }
        return;
      case 'focus': {
        // Accessibility workaround (WCAG 2.4.11 Focus Not Obscured, 2.4.7 Focus Visible) for WebKit:
        // Chromium and Firefox scroll the page's scroll containers (a chat transcript around the
        // form) to show an element focused inside a cross-origin frame; WebKitGTK 2.50 does not, or
        // stops short, so a field reached with Tab could lie below the transcript's visible part.
        // The frame tells where its focused element is; a strip beside the iframe marks the part of
        // it inside the frame's viewport (in the dialog the frame scrolls itself) and is scrolled
        // into view with `nearest`, which moves nothing where the engine already showed it.
        const top = Math.max(0, message.top);
        const height = Math.min(message.bottom, iframe.clientHeight) - top;
        if (height <= 0) return;
        focusStrip.style.top = `${iframe.offsetTop + top}px`;
        focusStrip.style.height = `${height}px`;
        if (!focusStrip.isConnected) iframe.before(focusStrip);
        focusStrip.scrollIntoView({ block: 'nearest' });
        return;
      }
      case 'confirming':
        // The frame asks "Close this form?" in answer to Close: keys pressed on the host's Close
        // button stay on the host page, so focus moves into the frame (its element and its window,
        // as on `ready`), where the frame puts it on "Keep filling in". Only in answer to a Close
        // still waiting (never at the frame's wish).
        if (!closeTimer) return;
        clearTimeout(closeTimer);
        closeTimer = 0;
        iframe.focus();
        iframe.contentWindow?.focus();
        return;
      default:
        handle(message);
    }
  };
  window.addEventListener('message', onMessage);

  return {
    iframe,
    ask(closeNow) {
      const to = pciOriginOf(host.pciOrigin);
      if (!iframe.contentWindow || !to || !ready) {
        closeNow();
        return;
      }
      iframe.contentWindow.postMessage({ protocol: FRAME_PROTOCOL, type: 'close' }, to);
      if (!closeTimer) closeTimer = window.setTimeout(closeNow, CLOSE_ANSWER_MS);
    },
    close() {
      window.removeEventListener('message', onMessage);
      clearTimeout(closeTimer);
      closeTimer = 0;
      ready = false;
      focusStrip.remove();
      iframe.remove();
    },
  };
}
