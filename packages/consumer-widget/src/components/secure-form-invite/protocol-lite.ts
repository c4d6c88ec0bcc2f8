/**
 * The two pieces of `@secure-forms/shared/protocol` the host page needs, without the module's zod
 * schemas (which would put zod's parser into the brand's page). Kept equal to the shared ones by
 * `host-messages.test.ts`.
 */

/** Marks our messages among whatever else the host page posts (`FRAME_PROTOCOL` in shared). */
export const FRAME_PROTOCOL = 'secure-forms/1';

/** The frame's URL, exactly as shared's `frameUrl`: site, host origin and locale, nothing secret. */
export function frameUrl(pciOrigin: string, params: { siteId: string; hostOrigin: string; locale?: string }): string {
  const url = new URL('/frame/', pciOrigin);
  url.searchParams.set('site', params.siteId);
  url.searchParams.set('host', params.hostOrigin);
  if (params.locale) url.searchParams.set('locale', params.locale);
  return url.href;
}
