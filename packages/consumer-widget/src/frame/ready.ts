/**
 * The frame's first script, small so that it runs as soon as the page arrives: it checks the
 * frame URL's host origin and site, says `ready` to the host, takes the host's one `open` message
 * (exact origin, from the parent window, once) and asks for the form at once; only then does it
 * run the rest of the frame (Lit, the form; `frame.ts`, fetched meanwhile by the page's preload).
 * `<secure-form-frame>` picks up the message and the pending answer from {@link earlyOpen}. The
 * view key only ever arrives here by postMessage from the host; it is not in the URL, and goes
 * only to this origin's API.
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

/**
 * How long the first script waits for the host's `open` before it runs the rest of the frame
 * anyway: a host still waiting for its open answer has not posted it, and the frame then shows
 * "Loading the secure form…" (or why it cannot start) without waiting for the key.
 */
const OPEN_WAIT_MS = 50;

// The rest of the frame runs once the view request is on its way, not before: running it (Lit,
// the form, the first render) is one task, of 20-40 ms on a first open, and an `open` that arrived
// during it waited for its end, and the view request with it (a first open: `ready` to the
// frame's `open` 48 ms, to the first field 153 ms; with this order 19 and 128 ms, medians of 59
// runs on a loaded machine; a second open, whose task is shorter, 76 and 75 ms either way). The
// view request's round trip now runs beside that task.
void new Promise((go) => {
  setTimeout(go, OPEN_WAIT_MS);
  void earlyOpen.then(go);
}).then(() => import('./frame.js'));
