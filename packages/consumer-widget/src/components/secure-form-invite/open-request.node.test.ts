import { json } from '../../../../../fixtures/http.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pciOriginOf, requestOpen } from './open-request.js';

const ORIGIN = 'https://pci.example';
const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const TOKEN = 'conversation-token-0123456789';
const VIEW_OTK = 'A'.repeat(43);

function answer(response: Response | Error): void {
  vi.stubGlobal(
    'fetch',
    vi.fn(async () => {
      if (response instanceof Error) throw response;
      return response;
    }),
  );
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('the PCI origin', () => {
  it('is the exact origin of an http(s) URL, and nothing else', () => {
    expect(pciOriginOf('https://pci.example/')).toBe('https://pci.example');
    expect(pciOriginOf('http://127.0.0.1:8443/v1/anything?x=1')).toBe('http://127.0.0.1:8443');
    expect(pciOriginOf('')).toBeNull();
    expect(pciOriginOf('pci.example')).toBeNull();
    expect(pciOriginOf('javascript:alert(1)')).toBeNull();
    expect(pciOriginOf('ftp://pci.example')).toBeNull();
  });
});

describe('the open request', () => {
  it('sends the token as its whole text/plain body, with no credentials and no cache', async () => {
    answer(json(200, { viewOtk: VIEW_OTK, expiresAt: new Date().toISOString() }));
    const signal = new AbortController().signal;
    await requestOpen(ORIGIN, INVITATION_ID, TOKEN, signal);
    expect(fetch).toHaveBeenCalledWith(`${ORIGIN}/v1/invitations/${INVITATION_ID}/open`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body: TOKEN,
      credentials: 'omit',
      cache: 'no-store',
      signal,
    });
  });

  it('answers the view key and the opens left', async () => {
    answer(json(200, { viewOtk: VIEW_OTK, expiresAt: new Date().toISOString(), opensLeft: 2 }));
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, new AbortController().signal)).toEqual({ viewOtk: VIEW_OTK, opensLeft: 2 });
  });

  it('answers no view key for a body that is not an open response, and keeps the opens left', async () => {
    answer(json(200, { viewOtk: 'short', opensLeft: 1 }));
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, new AbortController().signal)).toEqual({ viewOtk: null, opensLeft: 1 });
  });

  it.each([
    [json(409, { error: { code: 'OPEN_LIMIT_REACHED', message: 'limit' } }), 'OPEN_LIMIT_REACHED'],
    [json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }), 'RATE_LIMITED'],
    [json(400, { error: { code: 'SOMETHING_NEW', message: 'unknown to this build' } }), 'INTERNAL'],
    [json(401, { error: { code: 'WORKSPACE_TOKEN_INVALID', message: 'an operator-only code' } }), 'INTERNAL'],
    [new Response('<html>Bad gateway</html>', { status: 502 }), 'INTERNAL'],
  ])('answers the stable code of a refusal (%#)', async (response, code) => {
    answer(response);
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, new AbortController().signal)).toBe(code);
  });

  it('answers NETWORK when the request gets no answer', async () => {
    answer(new TypeError('Failed to fetch'));
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, new AbortController().signal)).toBe('NETWORK');
  });

  it('answers NETWORK when the answer breaks off before its body is complete', async () => {
    const broken = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"viewOtk":'));
        controller.error(new TypeError('terminated'));
      },
    });
    answer(new Response(broken, { status: 200, headers: { 'Content-Type': 'application/json' } }));
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, new AbortController().signal)).toBe('NETWORK');
  });

  it('answers nothing once aborted, before or after the response came', async () => {
    const before = new AbortController();
    before.abort();
    answer(new DOMException('aborted', 'AbortError'));
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, before.signal)).toBeNull();

    const after = new AbortController();
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        after.abort();
        return json(409, { error: { code: 'OPEN_LIMIT_REACHED', message: 'limit' } });
      }),
    );
    expect(await requestOpen(ORIGIN, INVITATION_ID, TOKEN, after.signal)).toBeNull();
  });
});
