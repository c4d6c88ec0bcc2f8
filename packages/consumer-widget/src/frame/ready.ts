/**
 * The frame page's first script, inlined into the page by the build (vite.inline-first-script.ts) and
 * allowed by its hash in the page's policy (the demo server's routes/frame.ts): it runs as soon as
 * the page arrives, with no request of its own. As a file of its own it was one more round trip on
 * a first open, where the frame's scripts are not yet cached: on the bench's slow network the page
 * arrived 165 ms after the click and this script 89 ms after that.
 *
 * It checks the frame URL's host origin and site, reads its locale, says `ready` to the host, takes
 * the host's one `open` (exact origin, from the parent window, once) and asks for the form (in that
 * locale) at once; only then does it run the rest of the frame (Lit, the form; `frame.ts`, which
 * the page's modulepreload link fetches meanwhile). `<secure-form-frame>` picks up the message and
 * the pending answer, and the frame module the functions it shares with this script, through
 * `frame-start.ts`. The visitor's token (or a view key) only ever arrives here by postMessage from
 * the host; it is not in the URL, and goes only to this origin's API.
 */
import { LOCALE_TAG_MAX, SITE_ID_PATTERN } from '@secure-forms/shared/format-patterns';
import { parseHostMessage } from '../components/secure-form-invite/host-messages.js';
import { handOver } from './frame-start.js';
import { bareOrigin } from './origin.js';
import { postWithKey } from './post.js';
import { takeOpen } from './view-request.js';

const params = new URLSearchParams(location.search);
const host = bareOrigin(params.get('host') ?? '');
// The visitor's language: the host's choice in the frame URL, else the browser's; cut to the
// length the API takes.
const locale = (params.get('locale') || navigator.language || 'en').slice(0, LOCALE_TAG_MAX);
const early = host && SITE_ID_PATTERN.test(params.get('site') ?? '') ? takeOpen(host, locale) : null;
handOver({ early, locale, postWithKey, parseHostMessage, bareOrigin });

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
// view request's round trip now runs beside that task. The frame module's hashed URL is the page's
// modulepreload link's, the one place the build writes it.
void new Promise((go) => {
  setTimeout(go, OPEN_WAIT_MS);
  void early?.then(go);
}).then(() => import(/* @vite-ignore */ document.querySelector<HTMLLinkElement>('[rel=modulepreload]')!.href));
