/**
 * What every `/v1` call shares: the path prefix, the credential headers and schemes, and the
 * formats of the credentials themselves.
 */
import * as z from 'zod/mini';
import { OTK_PATTERN, SITE_ID_PATTERN } from '../formats.js';

export const API_PREFIX = '/v1';
export const OTK_SCHEME = 'OTK';
export const SESSION_HEADER = 'Secure-Forms-Session';
export const CONVERSATION_HEADER = 'Secure-Forms-Conversation';

/** 256 random bits, base64url without padding. */
export const otkSchema = z.string().check(z.regex(OTK_PATTERN));
/** Session and conversation tokens: at least 128 random bits, base64url. */
export const tokenSchema = z.string().check(z.regex(/^[A-Za-z0-9_-]{22,128}$/));
export const siteIdSchema = z.string().check(z.regex(SITE_ID_PATTERN));

/** `Authorization: OTK <key>` */
export function otkAuthorization(otk: string): string {
  return `${OTK_SCHEME} ${otk}`;
}

export const OTK_ACTIONS = ['view', 'submit', 'retrieve'] as const;
export type OtkAction = (typeof OTK_ACTIONS)[number];
