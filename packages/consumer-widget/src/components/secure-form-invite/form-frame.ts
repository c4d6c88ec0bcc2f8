/**
 * The form's frame over its life on the page: the PCI site's warm-up page (warm-frame.ts) wanted
 * while the form can be opened; on open, the frame and its channel (frame-channel.ts) created where
 * the form shows (inline, or in the modal dialog on narrow screens) and focused at once, and the
 * warm-up page let go once the frame has rendered; on close, the channel and the dialog closed, and
 * the rendered frame counted off its warm-up page. The element keeps what the invitation is (state,
 * opens left, problem, focus).
 *
 * A function over closures, as the card and the dialog (invitation-card.ts, invite-dialog.ts): the
 * names stay local and minify, in the one script a brand adds.
 */
import { warmUrl } from '@secure-forms/shared/frame-url';
import { hostOrigin, openFrameChannel, type FrameChannel, type FrameHost, type FrameOutcome } from './frame-channel.js';
import { isUuid } from './host-messages.js';
import { opensInDialog, type Display, type InviteDialog } from './invite-dialog.js';
import { pciOriginOf } from './pci-origin.js';
import { frameShown, warmFrame } from './warm-frame.js';

/** What the frame's life reads from the element, as it stands when it opens, warms or closes. */
export interface FormFrameHost extends FrameHost {
  readonly display: Display;
  readonly formTitle: string;
}

/** The open form's frame, or the warm-up page while it is not open. */
export interface FormFrame {
  /** The open frame's channel; null while the form is not open. */
  readonly channel: FrameChannel | null;
  /**
   * Wants the PCI site's warm-up page loaded while the form can be opened (`want`), or lets it go.
   * While the form's own frame is open, the warm-up page stays until that frame has rendered.
   */
  warm(want: boolean): void;
  /**
   * Closes any open frame, creates the frame from `origin` in `locale`, has the element `render`
   * with it, puts it where it shows and moves focus into it at once, before its page loads.
   */
  open(origin: string, locale: string): FrameChannel;
  /** Closes the channel and the dialog; the warm-up page count follows. */
  close(): void;
}

/**
 * The frame of `host`'s form: shown inline in `container` or in `dialog`; its outcomes go to
 * `handle`; `render` shows the element's state once the frame exists.
 */
export function formFrame(
  host: FormFrameHost,
  dialog: InviteDialog,
  container: HTMLElement,
  handle: (message: FrameOutcome) => void,
  render: () => void,
): FormFrame {
  let channel: FrameChannel | null = null;
  /** The warm-up page this invitation wants loaded, if any. */
  let warmSrc = '';
  /** The warm-up page whose origin this invitation's form frame has rendered from, until it closes. */
  let shownSrc = '';

  const warm = (want: boolean): void => {
    const origin = pciOriginOf(host.pciOrigin);
    const src =
      want && origin && isUuid(host.invitationId) && host.siteId ? warmUrl(origin, { siteId: host.siteId, hostOrigin: hostOrigin() }) : '';
    if (src === warmSrc) return;
    if (warmSrc) warmFrame(warmSrc, host, false);
    warmSrc = src;
    if (src) warmFrame(src, host, true);
  };

  const close = (): void => {
    channel?.close();
    channel = null;
    dialog.close();
    if (shownSrc) frameShown(shownSrc, -1);
    shownSrc = '';
  };

  return {
    get channel() {
      return channel;
    },
    warm,
    close,
    open(origin, locale) {
      close();
      // The warm-up page goes once this frame has rendered, not at its `load`: a module preload
      // does not hold the load event, so the frame's script may still be arriving through the
      // warm-up page's preload of it (the frame's own request waits for that one in the HTTP
      // cache), and removing the page then cancels it: on a slow network the frame fetched its
      // 19 kB script again from the start. It holds the site's process until then too.
      const src = warmSrc;
      const opened = (channel = openFrameChannel(host, origin, locale, handle, () => {
        if (channel !== opened || !src) return;
        frameShown((shownSrc = src), 1);
        warm(false);
      }));
      render();
      if (opensInDialog(host.display)) dialog.show(opened.iframe, host.formTitle);
      else container.append(opened.iframe);
      // Focus goes into the form itself: not to the dialog's Close button, and not lost to <body> as
      // the open button hides. At once, before its page loads: an accessibility workaround whose
      // other half, and why, is on the frame's `ready` (frame-channel.ts).
      opened.iframe.focus();
      return opened;
    },
  };
}
