/**
 * The string formats of the API as plain patterns, without zod: the schemas built from them are in
 * `formats.ts`, which re-exports these. The visitor's bundles import this module alone
 * (`@secure-forms/shared/format-patterns`): a module that imports zod leaves zod's set-up in a
 * bundle even when none of its schemas is used.
 */

/** An RFC 9562 UUID, any version 1 to 8 (the backend makes version 4). */
export const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** A UTC time as `Date.prototype.toISOString()` writes it: `2026-11-29T09:30:00.000Z`. */
export const ISO_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
/** A one-time key: 32 random bytes, base64url without padding. */
export const OTK_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** A session or conversation token: at least 128 random bits, base64url (22 to 128 characters). */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{22,128}$/;

/** A site id: lower-case letters, digits and hyphens, at most 64. */
export const SITE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** The longest locale tag the frame uses and the API takes (the frame cuts a longer one to this length). */
export const LOCALE_TAG_MAX = 35;
