/**
 * Opening an invitation: `POST /v1/invitations/:iid/open` to the PCI origin with the visitor's
 * conversation token, and what its answer means (the view key and the opens left, or a refusal's
 * stable code). The answer is read by shared's one request sequence (`readJson`), with refusals read
 * without zod (`toVisitorSideError`). No DOM: the element decides what to show.
 */
import type { OpenInvitationResponse } from '@secure-forms/shared/api';
import { SecureFormsError, toVisitorSideError } from '@secure-forms/shared/error-codes';
import { readJson, type ResponseSchema } from '@secure-forms/shared/read-json';
import type { ProblemCode } from '../../messages/problems.js';
import { parseOpenResponse, parseOpensLeft } from './host-messages.js';

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
export type OpenAnswer =
  { viewOtk: OpenInvitationResponse['viewOtk'] | null; opensLeft: OpenInvitationResponse['opensLeft'] | null } | ProblemCode;

/**
 * The open response read member by member, so that a body without a valid view key still tells
 * the opens left (the element then refuses with INTERNAL). Never fails.
 */
const OPEN_RESPONSE: ResponseSchema<Exclude<OpenAnswer, ProblemCode>> = {
  safeParse: (body) => ({ success: true, data: { viewOtk: parseOpenResponse(body), opensLeft: parseOpensLeft(body) } }),
};

/** Asks the backend to open the invitation; null once `signal` is aborted (the form was closed first). */
export async function requestOpen(origin: string, invitationId: string, token: string, signal: AbortSignal): Promise<OpenAnswer | null> {
  try {
    // The token is the whole text/plain body, and no custom header is sent: a CORS simple
    // request, so the browser does not wait for a preflight round trip first (every invitation
    // has its own URL, so a cached preflight would never apply). The server still checks the
    // Origin against the site's brand origins before opening anything.
    const request = fetch(`${origin}/v1/invitations/${encodeURIComponent(invitationId)}/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: token,
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
    const answer = await readJson(request, OPEN_RESPONSE, toVisitorSideError, signal);
    return signal.aborted ? null : answer;
  } catch (error) {
    if (signal.aborted) return null;
    // Only the visitor-side codes and NETWORK come out of `toVisitorSideError` and the lenient schema.
    return error instanceof SecureFormsError ? (error.code as ProblemCode) : 'NETWORK';
  }
}
