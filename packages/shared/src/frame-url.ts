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
 * The frame's URL: which site's policy to apply, which host origin to talk to, and the locale.
 * Nothing in it is secret: the view OTK travels by postMessage.
 */
export function frameUrl(pciOrigin: string, params: { siteId: string; hostOrigin: string; locale?: string }, path = FRAME_PATH): string {
  const url = new URL(path, pciOrigin);
  url.searchParams.set('site', params.siteId);
  url.searchParams.set('host', params.hostOrigin);
  if (params.locale) url.searchParams.set('locale', params.locale);
  return url.href;
}

/**
 * The warm-up page's URL: the site and host origin only (the server checks them as for the
 * frame page, and frames it for the same origins); no invitation, key or locale.
 */
export function warmUrl(pciOrigin: string, params: { siteId: string; hostOrigin: string }): string {
  return frameUrl(pciOrigin, params, WARM_PATH);
}
