/**
 * Test data for the frame's component tests: the ids and one-time keys the backend hands out, its
 * answer to `POST /v1/forms/view`, and the frame mounted with the test page as its host. Not part
 * of the package (tests import it; the build does not).
 */
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, vi } from 'vitest';
import { handOver } from '../../frame/frame-start.js';
import { bareOrigin } from '../../frame/origin.js';
import { postWithKey } from '../../frame/post.js';
import { takeOpen } from '../../frame/view-request.js';
import { parseHostMessage } from '../secure-form-invite/host-messages.js';
import './secure-form-frame.js';

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

/** The frame's view request for {@link OPEN}, in the fixture's locale (English). */
export const VIEW_URL = '/v1/forms/view?locale=en';

/** The host's `open` message: the invitation and its view key. */
export const OPEN = { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: VIEW_OTK } as const;

// What the frame page's first script hands to the frame module (frame/frame-start.ts), as it does
// on the page: the element reads the host's messages, checks its host origin and sends its requests
// with these. Each frame gets its `open` from `takeOpen` instead (`mountFrame`).
handOver({ early: null, locale: 'en', postWithKey, parseHostMessage, bareOrigin });

// Each mounted frame's `takeOpen` listens until an `open` comes, as on the frame page, where it
// comes once. A test that ends without one leaves it listening, and it would take the next test's
// `open` too (and its fetch's answer): after each test, one `open` ends every such listener, with a
// view request that never answers.
afterEach(() => {
  const pending = vi.spyOn(globalThis, 'fetch').mockImplementation(() => new Promise<Response>(() => undefined));
  window.dispatchEvent(new MessageEvent('message', { data: OPEN, origin: location.origin, source: window.parent }));
  pending.mockRestore();
});

/**
 * The frame under test, with the test page standing in for the host (same origin, parent window):
 * `post` spies on what the frame tells the host, `hostSays` delivers a message as the host would.
 * As on the frame page, the host's `open` is taken by the first script's `takeOpen` (frame/ready.ts).
 */
export async function mountFrame() {
  const post = vi.spyOn(window.parent, 'postMessage').mockImplementation(() => undefined);
  const frame = document.createElement('secure-form-frame');
  frame.hostOrigin = location.origin;
  frame.siteId = 'demo';
  frame.early = takeOpen(location.origin, 'en');
  document.body.append(frame);
  await frame.updateComplete;
  const hostSays = (data: unknown, origin = location.origin, source: Window = window.parent) =>
    window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
  return { frame, post, hostSays };
}
