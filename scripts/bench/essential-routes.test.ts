/**
 * The essential-work floor's routes (essential-routes.mjs) do the round trip's work and refuse what
 * the product refuses: an open past the invitation's limit, and each key a second time.
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it } from 'vitest';
import { essentialRoutes } from './essential-routes.mjs';

let floor: { close(): void } | undefined;
afterEach(() => {
  floor?.close();
  floor = undefined;
});

/** A fresh floor, and a POST to it that answers the status and the parsed body. */
function freshFloor() {
  const app = new Hono();
  floor = essentialRoutes(app);
  return async (path: string, init: { headers?: Record<string, string>; body?: unknown } = {}) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
}

const otk = (key: unknown) => ({ Authorization: `OTK ${String(key)}` });

describe('the essential-work floor', () => {
  it('stores the invitation, opens it for a submit key, stores the submission for a retrieve key, and gives the envelopes back once', async () => {
    const post = freshFloor();
    const created = await post('/essential/invitations', { body: { formId: 'card-payment', publicKey: { kty: 'EC' } } });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const opened = await post(`/essential/invitations/${id}/view`, { headers: { 'Secure-Forms-Conversation': 'token' } });
    expect(opened).toMatchObject({ status: 200, body: { invitationId: id, opensLeft: 2 } });
    const envelopes = { onTheRecord: { sealed: 1 }, offTheRecord: { sealed: 2 } };
    const submitted = await post('/essential/submissions', {
      headers: otk(opened.body.submitOtk),
      body: { invitationId: id, ...envelopes },
    });
    expect(submitted.status).toBe(201);
    const retrieve = `/essential/submissions/${String(submitted.body.submissionId)}/retrieve`;
    expect(await post(retrieve, { headers: otk(submitted.body.retrieveOtk) })).toEqual({ status: 200, body: envelopes });
    expect((await post(retrieve, { headers: otk(submitted.body.retrieveOtk) })).status).toBe(401);
  });

  it('counts each open up to the limit, and spends a submit key once', async () => {
    const post = freshFloor();
    const id = (await post('/essential/invitations', { body: { publicKey: {} } })).body.id as string;
    const opens = [];
    for (let i = 0; i < 4; i++) opens.push(await post(`/essential/invitations/${id}/view`));
    expect(opens.map((o) => o.status)).toEqual([200, 200, 200, 409]);
    expect(opens.slice(0, 3).map((o) => o.body.opensLeft)).toEqual([2, 1, 0]);
    const key = otk(opens[0]!.body.submitOtk);
    expect((await post('/essential/submissions', { headers: key, body: { invitationId: id } })).status).toBe(201);
    expect((await post('/essential/submissions', { headers: key, body: { invitationId: id } })).status).toBe(401);
  });
});
