/**
 * The frame's one way to call its origin's API: the view request (`view-request.ts`) and the submit
 * and extend requests (`requests.ts`) alike. Part of the page's first script, which hands it to the
 * frame module (`frame-start.ts`).
 */
import { API_PREFIX, otkAuthorization } from '@secure-forms/shared/api/conventions';

/**
 * `POST` to `path` of this origin's API with the credential `headers` only, `body` as JSON when
 * given; no cookies, nothing cached.
 */
export function post(path: string, headers: Record<string, string>, body?: unknown): Promise<Response> {
  return fetch(API_PREFIX + path, {
    method: 'POST',
    headers: body === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
}

/** {@link post} with a one-time key in the Authorization header. */
export function postWithKey(path: string, otk: string, body?: unknown): Promise<Response> {
  return post(path, { Authorization: otkAuthorization(otk) }, body);
}
