/**
 * The PCI site's warm-up page, loaded hidden while the visitor reads an invitation that can be
 * opened, so that "Open secure form" finds the site ready: the renderer process for the PCI site
 * started (about 200 ms of a cold open otherwise), the frame's scripts and stylesheet in the HTTP
 * cache, its connection open. A hint from the brand's page (`<link rel="preconnect">`, `prefetch`,
 * `modulepreload`) cannot do this: the browser keys its HTTP cache by the top site and the frame's
 * site, and its connections by the top site and whether the frame is cross-site, so only a frame
 * of the PCI site inside the brand's page fills the partition the form's frame reads.
 *
 * The page (`/frame/warm`) runs no script: its policy allows none, it has only preload links, and
 * the frame has no `allow-scripts`. It carries nothing of an invitation (the site and host origin
 * only, as the frame's URL does); the host never posts it a message (frame-channel.ts posts only
 * to the frame it opened). It is not displayed, so it is neither in the tab order nor read by
 * screen readers. One per PCI URL in a page, in the body (not in an invitation's shadow root), while
 * an invitation that can be opened wants it and no form's frame of that origin has rendered: a
 * rendered form frame keeps the site's process and cache warm itself (and until it has rendered,
 * the frame's scripts may still be arriving through this page's preloads: form-frame.ts).
 */
import { msg } from '@lit/localize';
import { el } from './dom.js';

/** Per warm-up URL: the hidden frame, the invitations that want it, and how many form frames of its origin have rendered. */
const pages = new Map<string, { iframe: HTMLIFrameElement | null; wanted: Set<object>; shown: number }>();

/** Adds or removes the hidden frame of `src` as it is now wanted. */
function sync(src: string, change: (page: { wanted: Set<object>; shown: number }) => void): void {
  let page = pages.get(src);
  if (!page) pages.set(src, (page = { iframe: null, wanted: new Set(), shown: 0 }));
  change(page);
  const need = page.wanted.size > 0 && page.shown === 0;
  if (need && page.iframe?.isConnected) return;
  page.iframe?.remove();
  page.iframe = null;
  if (!need) return;
  // Same origin as the form's frame (its cache partition and process), no script, no forms.
  const iframe = el('iframe', { sandbox: 'allow-same-origin', hidden: '', 'aria-hidden': 'true', tabindex: '-1', loading: 'eager' });
  iframe.title = msg('Preparing the secure form');
  iframe.referrerPolicy = 'origin';
  // Not displayed even where the page's stylesheet shows [hidden] elements: an important style
  // property, which the brand page's CSP allows (set through the CSSOM, no style attribute parsed).
  iframe.style.setProperty('display', 'none', 'important');
  iframe.src = src;
  document.body.append(iframe);
  page.iframe = iframe;
}

/** Whether `by` (an invitation) wants the warm-up page at `src` loaded for its click. */
export function warmFrame(src: string, by: object, want: boolean): void {
  sync(src, (page) => (want ? page.wanted.add(by) : page.wanted.delete(by)));
}

/** A form frame of the warm-up page `src`'s origin has rendered (`1`) or closed after rendering (`-1`). */
export function frameShown(src: string, change: 1 | -1): void {
  sync(src, (page) => (page.shown += change));
}
