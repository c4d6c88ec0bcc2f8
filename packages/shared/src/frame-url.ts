/**
 * Where the form frame lives and how the frame protocol's messages are marked, without the
 * protocol's schemas: the host page and the frame import these and check messages by hand
 * (consumer-widget's host-messages.ts), so that no zod code reaches either bundle.
 * `frame-protocol.ts` re-exports them beside the schemas.
 */

/** Marks our messages among whatever else the host page posts. */
export const FRAME_PROTOCOL = 'secure-forms/1';

/** Path of the frame page on the PCI origin. */
export const FRAME_PATH = '/frame/';

/**
 * Path of the frame's warm-up page on the PCI origin: no script, only preload links to the frame
 * page's scripts and stylesheet, framed hidden by the invitation before the click.
 */
export const WARM_PATH = '/frame/warm';

/**
 * The frame protocol's version in the frame's URL. A browser keeps the frame page for a few minutes
 * (the server's Cache-Control), so a page from the previous release could meet a host of this one:
 * a host that speaks a later version asks for a URL of its own, which no earlier page is cached
 * under. Version 2: the host's `open` carries the visitor's conversation token (the frame then opens
 * and loads the form in one request). A frame still takes a version 1 `open` (a view key), from a
 * page loaded before the release.
 */
export const FRAME_URL_VERSION = '2';

/**
 * The frame's URL: which site's policy to apply, which host origin to talk to, the locale, and the
 * protocol version the host speaks. Nothing in it is secret: the token travels by postMessage.
 */
export function frameUrl(pciOrigin: string, params: { siteId: string; hostOrigin: string; locale?: string }, path = FRAME_PATH): string {
  const url = new URL(path, pciOrigin);
  url.searchParams.set('site', params.siteId);
  url.searchParams.set('host', params.hostOrigin);
  if (params.locale) url.searchParams.set('locale', params.locale);
  url.searchParams.set('v', FRAME_URL_VERSION);
  return url.href;
}

/**
 * The warm-up page's URL: the site and host origin only (the server checks them as for the
 * frame page, and frames it for the same origins); no invitation, key or locale.
 */
export function warmUrl(pciOrigin: string, params: { siteId: string; hostOrigin: string }): string {
  return frameUrl(pciOrigin, params, WARM_PATH);
}
