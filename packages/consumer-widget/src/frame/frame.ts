/**
 * The form frame's module, served from the PCI origin at `/frame/`. Reads which site and host origin
 * from its URL, and the locale the first script read from it (none of them secret), sets the
 * page's language, direction and title, loads that locale's strings (lazily, English built in),
 * and mounts `<secure-form-frame>`, which
 * takes the host's `open` message and the view request from the page's first script (`ready.ts`,
 * which loads this module; handed over through `frame-start.ts`).
 */
import '../components/secure-form-frame/secure-form-frame.js';
import { localizeDocument } from './document-language.js';
import { frameStart } from './frame-start.js';

const params = new URLSearchParams(location.search);
const start = frameStart();

// The first script read the locale: the view request it made asked for that locale's texts.
const tag = start.locale;
void localizeDocument(tag);
const frame = document.createElement('secure-form-frame');
frame.hostOrigin = params.get('host') ?? '';
frame.siteId = params.get('site') ?? '';
frame.locale = tag;
frame.early = start.early;
(document.querySelector('main') ?? document.body).append(frame);

// The viewport shrinks as an on-screen keyboard opens (in browsers and web views that resize the
// page for it) or the phone turns: the focused field, or the heading focus moved to, stays in view.
// A browser keeps its own page's focused field in view, but the form scrolls in this frame.
addEventListener('resize', () => {
  let focused = document.activeElement;
  while (focused?.shadowRoot?.activeElement) focused = focused.shadowRoot.activeElement;
  focused?.scrollIntoView({ block: 'nearest' });
});
