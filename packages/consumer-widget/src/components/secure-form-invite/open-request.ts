/**
 * Opening an invitation: `POST /v1/invitations/:iid/open` to the PCI origin with the visitor's
 * conversation token, and what its answer means (the view key and the opens left, or a refusal's
 * stable code). No DOM: the element decides what to show.
 */
import { VISITOR_SIDE_ERROR_CODES } from '@secure-forms/shared/errors';
import type { ProblemCode } from '../../messages/problems.js';
import { parseOpenResponse, parseOpensLeft, refusalCode } from './host-messages.js';

/** The error codes this build knows; any other code from the backend or the frame reads as INTERNAL. */
export const KNOWN_CODES: ReadonlySet<string> = new Set(VISITOR_SIDE_ERROR_CODES);

/** The exact origin to talk to, or null when `pciOrigin` is not an http(s) URL. */
export function pciOriginOf(pciOrigin: string): string | null {
  try {
    const url = new URL(pciOrigin);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.origin : null;
  } catch {
    return null;
  }
}

/**
 * The backend's answer: the view key (null when the body is not a valid open response) and the
 * opens left; or the stable code of a refusal (`NETWORK` when the request never got an answer).
 */
export type OpenAnswer = { viewOtk: string | null; opensLeft: number | null } | ProblemCode;

/** Asks the backend to open the invitation; null once `signal` is aborted (the form was closed first). */
export async function requestOpen(origin: string, invitationId: string, token: string, signal: AbortSignal): Promise<OpenAnswer | null> {
  let response: Response;
  try {
    // The token is the whole text/plain body, and no custom header is sent: a CORS simple
    // request, so the browser does not wait for a preflight round trip first (every invitation
    // has its own URL, so a cached preflight would never apply). The server still checks the
    // Origin against the site's brand origins before opening anything.
    response = await fetch(`${origin}/v1/invitations/${encodeURIComponent(invitationId)}/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: token,
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  } catch {
    return signal.aborted ? null : 'NETWORK';
  }
  const body: unknown = await response.json().catch(() => null);
  if (signal.aborted) return null;
  if (!response.ok) return refusalCode(body, KNOWN_CODES);
  return { viewOtk: parseOpenResponse(body), opensLeft: parseOpensLeft(body) };
}
