/**
 * Test data for the frame's component tests: the ids and one-time keys the backend hands out, and
 * its answer to `POST /v1/forms/view`. Not part of the package (tests import it; the build does not).
 */
export const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
export const VIEW_OTK = 'V'.repeat(43);
export const SUBMIT_OTK = 'S'.repeat(43);

import { json } from '../../../../../fixtures/http.js';

export { json };

/** The view response for `form`, sealed to `publicJwk`, with the submit key's time and extensions. */
export function viewResponse(publicJwk: unknown, form: unknown, { msLeft = 30 * 60_000, extensionsLeft = 10 } = {}): Response {
  return json(200, {
    invitationId: INVITATION_ID,
    siteId: 'demo',
    form,
    recordKeys: [publicJwk],
    offTheRecordKey: publicJwk,
    submitOtk: SUBMIT_OTK,
    submitDeadline: new Date(Date.now() + msLeft).toISOString(),
    extensionsLeft,
  });
}
