/**
 * The host's `open` and the view request it starts, in the frame page's first script (`ready.ts`):
 * the only request the visitor's token or the view key is ever sent in. `<secure-form-frame>` gets
 * the request and a way to make it again (after a failed connection) from {@link EarlyOpen}, so the
 * frame module carries none of this.
 */
import { CONVERSATION_HEADER } from '@secure-forms/shared/api/conventions';
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import { parseHostMessage, type OpenMessage } from '../components/secure-form-invite/host-messages.js';
import { post, postWithKey } from './post.js';

/** The host's `open` message and the view request the first script started with it. */
export interface EarlyOpen {
  open: OpenMessage;
  /** The view request for `open` (see {@link requestView}); rejects when the connection fails. */
  view: Promise<Response>;
  /** The same request made again, for a retry after a failed connection. */
  retry: () => Promise<Response>;
}

/**
 * The form for the host's `open`, from this origin's API: with the visitor's token, the open and
 * the form in one request (`POST /v1/invitations/:iid/view`, one round trip after the click); with
 * a view key from the host's own open request, `POST /v1/forms/view`. Asks for the form's texts in
 * `locale` only, the one the frame shows: on a slow network, less to wait for (the demo's card form,
 * in five languages: 2.8 kB, or 1.5 kB for English alone and 2.0 kB for Arabic).
 */
export function requestView(open: OpenMessage, locale: string): Promise<Response> {
  const query = `?locale=${encodeURIComponent(locale)}`;
  return 'conversationToken' in open
    ? post(`/invitations/${open.invitationId}/view${query}`, { [CONVERSATION_HEADER]: open.conversationToken })
    : postWithKey(`/forms/view${query}`, open.viewOtk);
}

/**
 * Says `ready` to the host page at `host` (an exact origin), takes its one `open` (from that origin
 * and the parent window only, checked by hand: `parseHostMessage`) and starts the view request
 * with it at once, for the form's texts in `locale`. Resolves with both; `close` is not taken here
 * (the element listens for it for its whole life).
 */
export function takeOpen(host: string, locale: string): Promise<EarlyOpen> {
  return new Promise((resolve) => {
    const onMessage = (event: MessageEvent): void => {
      if (event.origin !== host || event.source !== window.parent) return;
      const open = parseHostMessage(event.data);
      if (open?.type !== 'open') return;
      window.removeEventListener('message', onMessage);
      const view = requestView(open, locale);
      // Handled where it is awaited; this only keeps an early failure from being reported unhandled.
      view.catch(() => undefined);
      resolve({ open, view, retry: () => requestView(open, locale) });
    };
    window.addEventListener('message', onMessage);
    window.parent.postMessage({ protocol: FRAME_PROTOCOL, type: 'ready' }, host);
  });
}
