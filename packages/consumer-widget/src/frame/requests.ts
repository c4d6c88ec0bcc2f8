/**
 * The frame's requests after the view (`view-request.ts`): submit the sealed answers, and trade
 * the submit key for more time; and how the frame reads any answer of this origin's API.
 *
 * They call fetch themselves instead of going through shared's request sequence (`readJson`, which
 * `requestJson` and the invitation's open request use), for the frame's size budget alone. Measured
 * with `npm run size` after `npm run build`, min+gzip with the heaviest locale, with the frame's
 * imports from shared reaching no module that imports zod: the frame reading its three answers
 * through `readJson` (with the zod-free `toVisitorSideError`, one hand-written check per answer, and
 * one `postWithKey` for the three requests) is 32,909 bytes, over its budget of 32,768; as written
 * here it is 32,597 (312 bytes less: `SecureFormsError` with its messages, the abort check, the JSON
 * reader and the failure handling around them).
 * Shared's `requestJson` as is would also bring zod, which reads its refusals: about 5 kB more.
 * What the frame does keep from shared is the rule for a refusal body (`visitorSideRefusalCode`,
 * zod-free, held equal to `errorBodySchema`); the API's answers are typed from shared with
 * `import type` only: they come from this origin's backend, which validated them.
 */
import type { SubmitRequest } from '@secure-forms/shared/api';
import { API_PREFIX, otkAuthorization } from '@secure-forms/shared/api/conventions';
import { visitorSideRefusalCode, type ErrorCode } from '@secure-forms/shared/error-codes';

/** An answer of the API: its JSON object when it succeeded (null when the body is not one), else the refusal's code. */
export type ApiAnswer = { ok: true; body: Record<string, unknown> | null } | { ok: false; code: ErrorCode };

/** Reads `response`: a JSON object on success, else the stable code of the refusal (INTERNAL for anything unknown). */
export async function readAnswer(response: Response): Promise<ApiAnswer> {
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) return { ok: false, code: visitorSideRefusalCode(body) };
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
