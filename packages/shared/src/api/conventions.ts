/**
 * What every `/v1` call shares, as plain values: the path prefix, the credential headers and
 * schemes, the one-time keys' actions. No zod (the credentials' schemas are in `common.ts`): the
 * visitor's bundles import this module alone (`@secure-forms/shared/api/conventions`), and a module
 * that imports zod leaves zod's set-up in a bundle even when none of its schemas is used.
 */

export const API_PREFIX = '/v1';
export const OTK_SCHEME = 'OTK';
export const SESSION_HEADER = 'Secure-Forms-Session';
export const CONVERSATION_HEADER = 'Secure-Forms-Conversation';

/** `Authorization: OTK <key>` */
export function otkAuthorization(otk: string): string {
  return `${OTK_SCHEME} ${otk}`;
}

export const OTK_ACTIONS = ['view', 'submit', 'retrieve'] as const;
export type OtkAction = (typeof OTK_ACTIONS)[number];
