import { afterEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../../../fixtures/http.js';
import { readAnswer, requestExtension, requestSubmit } from './requests.js';

afterEach(() => vi.restoreAllMocks());

describe('readAnswer', () => {
  it('gives the JSON object of a success, or null when the body is not one', async () => {
    expect(await readAnswer(json(200, { submissionId: 'x' }))).toEqual({ ok: true, body: { submissionId: 'x' } });
    for (const body of [[1], 'text', 3, null]) expect(await readAnswer(json(201, body))).toEqual({ ok: true, body: null });
    expect(await readAnswer(new Response('not json', { status: 200 }))).toEqual({ ok: true, body: null });
  });

  it("gives a refusal's known code, and INTERNAL for an unknown code or a body that is not a refusal", async () => {
    expect(await readAnswer(json(410, { error: { code: 'OTK_EXPIRED', message: 'x' } }))).toEqual({ ok: false, code: 'OTK_EXPIRED' });
    expect(await readAnswer(json(400, { error: { code: 'NOT_A_CODE' } }))).toEqual({ ok: false, code: 'INTERNAL' });
    expect(await readAnswer(new Response('<html>', { status: 502 }))).toEqual({ ok: false, code: 'INTERNAL' });
  });
});

describe('the requests', () => {
  it('send the submit key in the Authorization header only, without cookies or the cache', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(200, {}));
    const otk = 'S'.repeat(43);
    await requestExtension(otk);
    const body = { invitationId: 'i', onTheRecord: null, offTheRecord: null, fieldIds: { onTheRecord: [], offTheRecord: [] }, hints: {} };
    await requestSubmit(otk, body);
    expect(fetchSpy.mock.calls).toEqual([
      ['/v1/submissions/extend', { method: 'POST', headers: { Authorization: `OTK ${otk}` }, credentials: 'omit', cache: 'no-store' }],
      [
        '/v1/submissions',
        {
          method: 'POST',
          headers: { Authorization: `OTK ${otk}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(body),
          credentials: 'omit',
          cache: 'no-store',
        },
      ],
    ]);
  });
});
