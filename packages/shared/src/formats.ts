/**
 * The string formats of the API, as plain patterns that say exactly what the backend sends.
 * zod's `z.uuid()` and `z.iso.datetime()` build their checks from general machinery (every UUID
 * version and the nil and max UUIDs; offsets, local times and precision options) that costs each
 * browser bundle about half a kilobyte min+gzip. The OpenAPI document still calls them `uuid` and
 * `date-time` (demo/server/src/openapi.ts).
 */
import * as z from 'zod/mini';

/** An RFC 9562 UUID, any version 1 to 8 (the backend makes version 4). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
export const uuidSchema = z.string().check(z.regex(UUID_PATTERN));

/** A UTC time as `Date.prototype.toISOString()` writes it: `2026-11-29T09:30:00.000Z`. */
export const ISO_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** A one-time key: 32 random bytes, base64url without padding. */
export const OTK_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A site id: lower-case letters, digits and hyphens, at most 64. */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const isoTimeSchema = z.string().check(z.regex(ISO_TIME_PATTERN));
