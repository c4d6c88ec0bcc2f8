/**
 * One JSON request to the PCI backend, with one way to fail: every failure is a
 * `SecureFormsError` with a stable code. The connection failing is `NETWORK` (status 0), a
 * refusal is the code in its body (`toSecureFormsError`), and a success body that does not match
 * its schema is `RESPONSE_INVALID`. An aborted request rejects with the abort itself.
 *
 * The sequence itself is `readJson` (`read-json.ts`, re-exported here), which the visitor's bundles
 * use without this module, with the zod-free `toVisitorSideError`.
 */
import { toSecureFormsError } from './errors.js';
import { readJson, type ResponseSchema } from './read-json.js';

export * from './read-json.js';

/**
 * Fetch `url` with `init` and return its JSON body parsed by `schema`. An empty body (a 204)
 * reaches the schema as `undefined`.
 *
 * @throws SecureFormsError `NETWORK` (status 0), the refusal's own code (its HTTP status), or
 *   `RESPONSE_INVALID` (the success status); or the abort, when `init.signal` aborted.
 */
export async function requestJson<T>(url: string | URL, init: RequestInit, schema: ResponseSchema<T>): Promise<T> {
  return readJson(fetch(url, init), schema, toSecureFormsError, init.signal);
}
