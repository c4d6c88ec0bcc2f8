/**
 * The frame's first script, small so that it runs as soon as the page arrives: it checks the
 * frame URL's host origin and site, says `ready` to the host, takes the host's one `open` message
 * (exact origin, from the parent window, once) and asks for the form at once, while the rest of
 * the frame (Lit, jose, the form; `frame.ts`) is still loading. `<secure-form-frame>` picks up the
 * message and the pending answer from {@link earlyOpen}. The view key only ever arrives here by
 * postMessage from the host; it is not in the URL, and goes only to this origin's API.
 */
import { SITE_ID_PATTERN } from '@secure-forms/shared/format-patterns';
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import { parseHostMessage } from '../components/secure-form-invite/host-messages.js';
import { bareOrigin } from './origin.js';
import { requestView, type EarlyOpen } from './view-request.js';
// The page's stylesheet loads with the page, not with the frame's module.
import './frame.css';

const params = new URLSearchParams(location.search);
const host = bareOrigin(params.get('host') ?? '');

/**
 * Resolves with the host's `open` message and its view request; never resolves when the frame
 * URL's host or site is not valid (the element then shows why and says nothing to anyone).
 */
export const earlyOpen: Promise<EarlyOpen> = new Promise((resolve) => {
  if (!host || !SITE_ID_PATTERN.test(params.get('site') ?? '')) return;
  const onMessage = (event: MessageEvent): void => {
    if (event.origin !== host || event.source !== window.parent) return;
    const open = parseHostMessage(event.data);
    // Only `open` here; `close` is the element's (it listens for it for its whole life).
    if (open?.type !== 'open') return;
    window.removeEventListener('message', onMessage);
    const view = requestView(open.viewOtk);
    // Handled where it is awaited; this only keeps an early failure from being reported unhandled.
    view.catch(() => undefined);
    resolve({ open, view });
  };
  window.addEventListener('message', onMessage);
  window.parent.postMessage({ protocol: FRAME_PROTOCOL, type: 'ready' }, host);
});

void import('./frame.js');
