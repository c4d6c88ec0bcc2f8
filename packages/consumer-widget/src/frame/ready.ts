/**
 * The frame's first script, small so that it runs as soon as the page arrives: it checks the
 * frame URL's host origin and site, says `ready` to the host, takes the host's one `open` message
 * (exact origin, from the parent window, once) and asks for the form at once; only then does it
 * run the rest of the frame (Lit, the form; `frame.ts`, fetched meanwhile by the page's preload).
 * `<secure-form-frame>` picks up the message and the pending answer from {@link earlyOpen}. The
 * visitor's token (or a view key) only ever arrives here by postMessage from the host; it is not in
 * the URL, and goes only to this origin's API.
 */
import { SITE_ID_PATTERN } from '@secure-forms/shared/format-patterns';
import { bareOrigin } from './origin.js';
import { takeOpen, type EarlyOpen } from './view-request.js';
// The page's stylesheet loads with the page, not with the frame's module.
import './frame.css';

/** The frame URL's parameters (site, host, locale; none of them secret), read once for the page. */
export const params = new URLSearchParams(location.search);
const host = bareOrigin(params.get('host') ?? '');

/**
 * Resolves with the host's `open` message and its view request; null when the frame URL's host or
 * site is not valid (the element then shows why and says nothing to anyone).
 */
export const earlyOpen: Promise<EarlyOpen> | null = host && SITE_ID_PATTERN.test(params.get('site') ?? '') ? takeOpen(host) : null;

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
  void earlyOpen?.then(go);
}).then(() => import('./frame.js'));
