/**
 * The view request, shared by the frame's first script (`ready.ts`) and `<secure-form-frame>`
 * (a retry, or a page without the first script): the only request the view key is ever sent in.
 */
import { API_PREFIX, otkAuthorization } from '@secure-forms/shared/api/conventions';
import type { OpenMessage } from '../components/secure-form-invite/host-messages.js';

/** The host's `open` message and the view request the first script started with it. */
export interface EarlyOpen {
  open: OpenMessage;
  /** `POST /v1/forms/view` with the view key; rejects when the connection fails. */
  view: Promise<Response>;
}

/** `POST /v1/forms/view` with the view key, to this origin's API. */
export function requestView(viewOtk: string): Promise<Response> {
  return fetch(`${API_PREFIX}/forms/view`, {
    method: 'POST',
    headers: { Authorization: otkAuthorization(viewOtk) },
    credentials: 'omit',
    cache: 'no-store',
  });
}
