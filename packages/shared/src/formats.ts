/**
 * The string formats of the API, as plain patterns that say exactly what the backend sends
 * (`format-patterns.ts`, re-exported here), and the schemas built from them.
 * zod's `z.uuid()` and `z.iso.datetime()` build their checks from general machinery (every UUID
 * version and the nil and max UUIDs; offsets, local times and precision options) that costs each
 * browser bundle about half a kilobyte min+gzip. The OpenAPI document still calls them `uuid` and
 * `date-time` (demo/server/src/openapi.ts).
 */
import * as z from 'zod/mini';
import { ISO_TIME_PATTERN, LOCALE_TAG_MAX, UUID_PATTERN } from './format-patterns.js';

export * from './format-patterns.js';

export const uuidSchema = z.string().check(z.regex(UUID_PATTERN));
export const isoTimeSchema = z.string().check(z.regex(ISO_TIME_PATTERN));
/**
 * A locale as the frame names it: a BCP 47 tag (`ar`, `fr-CA`), used only to look up the form's
 * translations the way the frame does (`localize`). Any text of 1 to 35 characters: a tag that
 * names no translation gets English, as the frame shows it, so nothing more needs refusing.
 */
export const localeTagSchema = z.string().check(z.minLength(1), z.maxLength(LOCALE_TAG_MAX));
