/**
 * The request sequence every client of the PCI backend goes through, for a request already started:
 * the connection failing is `NETWORK` (status 0), a refusal is read by the reader passed in, and a
 * success body that does not match its schema is `RESPONSE_INVALID`. An aborted request rejects with
 * the abort itself, so callers can tell "nobody wants this any more" from a failure.
 *
 * No zod: callers pass their schema (any `safeParse`, zod's or hand-written) and their refusal
 * reader. The visitor's bundles import this module alone (`@secure-forms/shared/read-json`) with
 * `toVisitorSideError`; `http.ts` adds `requestJson`, which reads refusals with zod.
 */
import { SecureFormsError } from './error-codes.js';

/** What a response schema needs to offer: zod's `safeParse`, or a hand-written one of that shape. */
export interface ResponseSchema<T> {
  safeParse(data: unknown): { success: true; data: T } | { success: false };
}

/** `true` when `error` is the rejection of an aborted fetch. */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

/** Rethrow an abort as it is; anything else thrown by the connection is `NETWORK`. */
function networkError(error: unknown, signal: AbortSignal | null | undefined): unknown {
  if (signal?.aborted || isAbortError(error)) return error;
  return new SecureFormsError('NETWORK', 'The service could not be reached.', 0);
}

/** The body as JSON; `undefined` when it is empty or not JSON (the schema or the refusal reader decides). */
function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Turns a refusal (its HTTP status and JSON body, `undefined` when not JSON) into its coded error. */
export type RefusalReader = (status: number, body: unknown) => SecureFormsError;

/**
 * The sequence itself, for a request the caller has already started (the form frame starts its view
 * request before the code that reads it has loaded): the connection, the refusal read by
 * `readRefusal`, the success body checked by `schema`. The visitor's bundles pass
 * `toVisitorSideError`, which reads refusals without zod; `requestJson` passes `toSecureFormsError`.
 *
 * @throws SecureFormsError `NETWORK` (status 0), the refusal's code, or `RESPONSE_INVALID`; or the
 *   abort, when `signal` aborted.
 */
export async function readJson<T>(
  request: Promise<Response>,
  schema: ResponseSchema<T>,
  readRefusal: RefusalReader,
  signal?: AbortSignal | null,
): Promise<T> {
  let response: Response;
  let text: string;
  try {
    response = await request;
    text = await response.text();
  } catch (error) {
    throw networkError(error, signal);
  }
  const body = parseJson(text);
  if (!response.ok) throw readRefusal(response.status, body);
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new SecureFormsError('RESPONSE_INVALID', `The response (HTTP ${response.status}) did not match its schema.`, response.status);
  }
  return parsed.data;
}
