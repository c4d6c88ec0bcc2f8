/**
 * What every `/v1` call shares: the path prefix, the credential headers and schemes
 * (`conventions.ts`), and the formats of the credentials themselves.
 */
import * as z from 'zod/mini';
import { OTK_PATTERN, SITE_ID_PATTERN, TOKEN_PATTERN } from '../formats.js';

export * from './conventions.js';

/** 256 random bits, base64url without padding. */
export const otkSchema = z.string().check(z.regex(OTK_PATTERN));
/** Session and conversation tokens: at least 128 random bits, base64url. */
export const tokenSchema = z.string().check(z.regex(TOKEN_PATTERN));
export const siteIdSchema = z.string().check(z.regex(SITE_ID_PATTERN));
