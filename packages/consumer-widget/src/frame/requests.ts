/**
 * The frame's requests after the view (`view-request.ts`): submit the sealed answers, and trade
 * the submit key for more time; and how the frame reads any answer of this origin's API.
 *
 * They call fetch themselves instead of shared's `requestJson`, which reads refusals with zod
 * (`toSecureFormsError`): importing it adds 5.0 kB min+gzip to the frame (29.8 to 34.8 kB with
 * the heaviest locale; `npm run size` after `npm run build`). Refusals are read by hand
 * (`refusalCode`), and the API's answers are typed from shared with `import type` only: they come
 * from this origin's backend, which validated them.
 */
import { API_PREFIX, otkAuthorization, type SubmitRequest } from '@secure-forms/shared/api';
import { VISITOR_SIDE_ERROR_CODES, type ErrorCode } from '@secure-forms/shared/errors';
import { refusalCode } from '../components/secure-form-invite/host-messages.js';

const KNOWN_CODES: ReadonlySet<string> = new Set(VISITOR_SIDE_ERROR_CODES);

/** An answer of the API: its JSON object when it succeeded (null when the body is not one), else the refusal's code. */
export type ApiAnswer = { ok: true; body: Record<string, unknown> | null } | { ok: false; code: ErrorCode };

/** Reads `response`: a JSON object on success, else the stable code of the refusal (INTERNAL for anything unknown). */
export async function readAnswer(response: Response): Promise<ApiAnswer> {
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, code: refusalCode(body, KNOWN_CODES) };
  const object = typeof body === 'object' && body !== null && !Array.isArray(body);
  return { ok: true, body: object ? (body as Record<string, unknown>) : null };
}

/** `POST /v1/submissions/extend`: a fresh submit key with a later deadline, for the one given. */
export function requestExtension(submitOtk: string): Promise<Response> {
  return fetch(`${API_PREFIX}/submissions/extend`, {
    method: 'POST',
    headers: { Authorization: otkAuthorization(submitOtk) },
    credentials: 'omit',
    cache: 'no-store',
  });
}

/** `POST /v1/submissions`: the sealed answers, with the submit key. */
export function requestSubmit(submitOtk: string, body: SubmitRequest): Promise<Response> {
  return fetch(`${API_PREFIX}/submissions`, {
    method: 'POST',
    headers: { Authorization: otkAuthorization(submitOtk), 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
}
