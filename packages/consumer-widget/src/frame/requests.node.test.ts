import { CONVERSATION_HEADER } from '@secure-forms/shared/api/conventions';
import { SecureFormsError } from '@secure-forms/shared/error-codes';
import { FRAME_PROTOCOL } from '@secure-forms/shared/frame-url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../../../fixtures/http.js';
import { parseHostMessage } from '../components/secure-form-invite/host-messages.js';
import { handOver } from './frame-start.js';
import { bareOrigin } from './origin.js';
import { postWithKey } from './post.js';
import { failureCode, readView, requestExtension, requestSubmit } from './requests.js';
import { requestView } from './view-request.js';

// As the frame page's first script does: the submit and extend requests go through its `postWithKey`.
handOver({ early: null, locale: 'en', postWithKey, parseHostMessage, bareOrigin });

afterEach(() => vi.restoreAllMocks());

const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const OTK = 'S'.repeat(43);
const TOKEN = 'conversation-token-0123456789';
const SUBMISSION = { invitationId: 'i', onTheRecord: null, offTheRecord: null, fieldIds: { onTheRecord: [], offTheRecord: [] }, hints: {} };

/** The code `promise` was rejected with (a SecureFormsError's), or what else it was rejected with. */
async function codeOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error instanceof SecureFormsError ? error.code : error;
  }
  throw new Error('resolved');
}

describe('the requests', () => {
  it('send the key in the Authorization header only, without cookies or the cache', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(200, { submitOtk: OTK, submitDeadline: 'd' }));
    await requestView({ protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: OTK }, 'ar');
    await requestExtension(OTK);
    await requestSubmit(OTK, SUBMISSION).catch(() => undefined);
    const init = { method: 'POST', headers: { Authorization: `OTK ${OTK}` }, credentials: 'omit', cache: 'no-store' };
    expect(fetchSpy.mock.calls).toEqual([
      ['/v1/forms/view?locale=ar', init],
      ['/v1/submissions/extend', init],
      ['/v1/submissions', { ...init, headers: { ...init.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(SUBMISSION) }],
    ]);
  });
});

describe("the view request for an open with the visitor's token", () => {
  it("opens and views in one request to the invitation's view path, the token in its header only", async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(200, {}));
    await requestView({ protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, conversationToken: TOKEN }, 'fr-CA');
    expect(fetchSpy.mock.calls).toEqual([
      [
        `/v1/invitations/${INVITATION_ID}/view?locale=fr-CA`,
        { method: 'POST', headers: { [CONVERSATION_HEADER]: TOKEN }, credentials: 'omit', cache: 'no-store' },
      ],
    ]);
  });
});

describe("the view request's locale", () => {
  it('names the locale in the query, encoded', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => json(200, {}));
    const open = { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: OTK } as const;
    for (const locale of ['zh-Hant-TW', 'a&b=c#d']) await requestView(open, locale);
    expect(fetchSpy.mock.calls.map(([url]) => url)).toEqual(['/v1/forms/view?locale=zh-Hant-TW', '/v1/forms/view?locale=a%26b%3Dc%23d']);
  });
});

describe('readView', () => {
  const view = { invitationId: INVITATION_ID, siteId: 'demo', submitOtk: OTK, submitDeadline: 'd', extensionsLeft: 3 };

  it('gives the form of this invitation on this site', async () => {
    expect(await readView(Promise.resolve(json(200, view)), INVITATION_ID, 'demo')).toEqual(view);
  });

  it.each([
    ['another invitation', { ...view, invitationId: 'other' }],
    ['another site', { ...view, siteId: 'other' }],
    ['no submit key', { ...view, submitOtk: undefined }],
    ['not an object', [view]],
    ['null', null],
  ])('refuses an answer with %s as RESPONSE_INVALID', async (_, body) => {
    expect(await codeOf(readView(Promise.resolve(json(200, body)), INVITATION_ID, 'demo'))).toBe('RESPONSE_INVALID');
  });

  it("gives a refusal's visitor-side code, INTERNAL for any other refusal, and NETWORK when the connection fails", async () => {
    const read = (response: Promise<Response>) => codeOf(readView(response, INVITATION_ID, 'demo'));
    expect(await read(Promise.resolve(json(410, { error: { code: 'OTK_EXPIRED', message: 'x' } })))).toBe('OTK_EXPIRED');
    expect(await read(Promise.resolve(json(400, { error: { code: 'NOT_A_CODE' } })))).toBe('INTERNAL');
    // An operator's sign-in code is no answer to a visitor's request: the frame does not know it.
    expect(await read(Promise.resolve(json(401, { error: { code: 'PASSKEY_REFUSED', message: 'x' } })))).toBe('INTERNAL');
    expect(await read(Promise.resolve(new Response('<html>', { status: 502 })))).toBe('INTERNAL');
    expect(await read(Promise.reject(new TypeError('Failed to fetch')))).toBe('NETWORK');
    const cutOff = new ReadableStream({ start: (controller) => controller.error(new TypeError('network error')) });
    expect(await read(Promise.resolve(new Response(cutOff, { status: 200 })))).toBe('NETWORK');
  });
});

describe('requestExtension and requestSubmit', () => {
  it('give the answer that has what the frame uses, and RESPONSE_INVALID for one that has not', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    fetchSpy.mockResolvedValueOnce(json(200, { submitOtk: OTK, submitDeadline: 'd', extensionsLeft: 0 }));
    expect(await requestExtension(OTK)).toEqual({ submitOtk: OTK, submitDeadline: 'd', extensionsLeft: 0 });
    fetchSpy.mockResolvedValueOnce(json(200, { submitOtk: OTK }));
    expect(await codeOf(requestExtension(OTK))).toBe('RESPONSE_INVALID');
    fetchSpy.mockResolvedValueOnce(json(201, { submissionId: 'x' }));
    expect(await requestSubmit(OTK, SUBMISSION)).toEqual({ submissionId: 'x' });
    fetchSpy.mockResolvedValueOnce(new Response('', { status: 201 }));
    expect(await codeOf(requestSubmit(OTK, SUBMISSION))).toBe('RESPONSE_INVALID');
  });
});

describe('failureCode', () => {
  it("is a SecureFormsError's code, and NETWORK for anything else thrown on the way", () => {
    expect(failureCode(new SecureFormsError('OTK_USED', 'used', 401))).toBe('OTK_USED');
    expect(failureCode(new SecureFormsError('RESPONSE_INVALID', 'x', 200))).toBe('RESPONSE_INVALID');
    expect(failureCode(new TypeError('Failed to fetch dynamically imported module'))).toBe('NETWORK');
  });
});
