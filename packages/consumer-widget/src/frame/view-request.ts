/**
 * The view request, shared by the frame's first script (`ready.ts`) and `<secure-form-frame>`
 * (a retry, or a page without the first script): the only request the view key is ever sent in.
 * Also the frame's one way to call its origin's API with a one-time key (`postWithKey`), which the
 * submit and extend requests (`requests.ts`) use too: it is loaded with the first script anyway.
 */
import { API_PREFIX, otkAuthorization } from '@secure-forms/shared/api/conventions';
import type { OpenMessage } from '../components/secure-form-invite/host-messages.js';

/** The host's `open` message and the view request the first script started with it. */
export interface EarlyOpen {
  open: OpenMessage;
  /** `POST /v1/forms/view` with the view key; rejects when the connection fails. */
  view: Promise<Response>;
}

/**
 * `POST` to `path` of this origin's API with `otk` in the Authorization header only, `body` as
 * JSON when given; no cookies, nothing cached.
 */
export function postWithKey(path: string, otk: string, body?: unknown): Promise<Response> {
  const authorization = { Authorization: otkAuthorization(otk) };
  return fetch(API_PREFIX + path, {
    method: 'POST',
    headers: body === undefined ? authorization : { ...authorization, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
}

/** `POST /v1/forms/view` with the view key, to this origin's API. */
export function requestView(viewOtk: string): Promise<Response> {
  return postWithKey('/forms/view', viewOtk);
}
