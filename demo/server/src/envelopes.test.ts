/**
 * Envelopes through the app: off-the-record answers leave the backend once; JWE headers are held
 * to the members ECDH-ES+A256KW and A256GCM need; public keys must be points on P-256; the
 * manager's history view re-seals on-the-record fields of the form version only.
 */
import {
  generateInvitationKeyPair,
  historyViewResponseSchema,
  openAnswers,
  retrieveOtkResponseSchema,
  retrieveResponseSchema,
  sealAnswers,
  submitResponseSchema,
  type PublicJwk,
} from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness } from './test/harness.js';
import { CARD, code, CVV, openForm, POSTCODE, retrieve, seal, sent, submitted, typedText, viewForm, type H } from './test/flows.js';

async function freshRetrieveOtk(h: H, submissionId: string, headers: Record<string, string>): Promise<string> {
  const res = await h.request(`/v1/submissions/${submissionId}/retrieve-otk`, { method: 'POST', headers });
  expect(res.status).toBe(200);
  return retrieveOtkResponseSchema.parse(await res.json()).retrieveOtk;
}

/** `{"a":{"a":…1…}}`, `depth` levels deep, as JSON text. */
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** A public key that passes the JWK schema but is not a point on P-256: x and y of two keys. */
async function offCurveKey(): Promise<PublicJwk> {
  const a = await generateInvitationKeyPair();
  const b = await generateInvitationKeyPair();
  return { kty: 'EC', crv: 'P-256', x: a.publicJwk.x, y: b.publicJwk.y };
}

describe('off-the-record answers leave the backend once', () => {
  it('hands them to the first retrieve; a later retrieve gets the on-the-record part and "handed-out"', async () => {
    const h = await harness();
    const t = await submitted(h);
    const first = retrieveResponseSchema.parse(await (await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).json());
    expect(first.offTheRecordState).toBe('available');
    expect(await openAnswers(first.offTheRecord!, t.keys.privateKey, t.binding('off-the-record'))).toEqual({ cvv: CVV });

    const again = await retrieve(h, t.submissionId, await freshRetrieveOtk(h, t.submissionId, t.alice.headers), t.alice.headers);
    expect(again.status).toBe(200);
    const second = retrieveResponseSchema.parse(await again.json());
    expect(second).toMatchObject({ offTheRecordState: 'handed-out', offTheRecord: null, offTheRecordExpiresAt: null });
    expect(await openAnswers(second.onTheRecord!, t.keys.privateKey, t.binding('on-the-record'))).toEqual({
      cardNumber: CARD,
      billingPostcode: POSTCODE,
    });
    // Gone from memory, not merely hidden.
    expect(await h.app.services.rt.offTheRecord('demo').count()).toBe(0);
  });

  it('gives the off-the-record part to exactly one of 50 parallel retrieves, each with its own key', async () => {
    const h = await harness();
    const t = await submitted(h);
    const otks = [t.retrieveOtk];
    for (let i = 1; i < 50; i++) otks.push(await freshRetrieveOtk(h, t.submissionId, t.alice.headers));
    const answers = await Promise.all(otks.map(async (otk) => retrieve(h, t.submissionId, otk, t.alice.headers)));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 200));
    const bodies = await Promise.all(answers.map(async (r) => retrieveResponseSchema.parse(await r.json())));
    expect(bodies.filter((b) => b.offTheRecord !== null)).toHaveLength(1);
    expect(bodies.filter((b) => b.offTheRecordState === 'available')).toHaveLength(1);
    expect(bodies.filter((b) => b.offTheRecordState === 'handed-out')).toHaveLength(49);
  });

  it('refuses a replayed retrieve key and a second agent without touching the off-the-record part', async () => {
    const h = await harness();
    const t = await submitted(h);
    const bob = await h.session('bob');
    expect(await code(await retrieve(h, t.submissionId, t.retrieveOtk, bob.headers))).toBe('NOT_SENDER');
    expect(await h.app.services.rt.offTheRecord('demo').count()).toBe(1);
    expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);
    const replay = await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    expect(replay.status).toBe(410);
    expect(await code(replay)).toBe('OTK_USED');
  });

  it('says "expired" when the TTL passed before anyone retrieved', async () => {
    const h = await harness();
    const t = await submitted(h);
    h.advance(5 * 60_000 + 1);
    const otk = await freshRetrieveOtk(h, t.submissionId, t.alice.headers);
    const late = retrieveResponseSchema.parse(await (await retrieve(h, t.submissionId, otk, t.alice.headers)).json());
    expect(late).toMatchObject({ offTheRecordState: 'expired', offTheRecord: null });
  });
});

describe('JWE headers are strict', () => {
  /** A real submission body, with `mutate` applied to its JSON text. */
  async function submitWith(h: H, mutate: (body: Awaited<ReturnType<typeof seal>>['body']) => string) {
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    return { s, res: await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body: mutate(body) }) };
  }

  it('refuses a 38,000-deep unprotected header on submit with 400, not 500', async () => {
    const h = await harness();
    const { res } = await submitWith(h, (body) =>
      JSON.stringify({ ...body, onTheRecord: { ...body.onTheRecord, unprotected: '@DEEP@' } }).replace('"@DEEP@"', deepJson(38_000)),
    );
    expect(res.status).toBe(400);
    expect(await code(res)).toBe('VALIDATION_FAILED');
  });

  it('refuses a 38,000-deep recipient header in the off-the-record part, so no retrieve of it can fail', async () => {
    const h = await harness();
    const { res } = await submitWith(h, (body) => {
      const [recipient] = body.offTheRecord.recipients;
      const offTheRecord = { ...body.offTheRecord, recipients: [{ ...recipient, header: '@DEEP@' }] };
      return JSON.stringify({ ...body, offTheRecord }).replace('"@DEEP@"', deepJson(38_000));
    });
    expect(res.status).toBe(400);
    expect(await code(res)).toBe('VALIDATION_FAILED');
    expect(await h.app.services.rt.offTheRecord('demo').count()).toBe(0);
  });

  it('refuses header members JWE does not need here, and oversized or foreign ones', async () => {
    const h = await harness();
    const cases: ((r: Record<string, unknown>) => Record<string, unknown>)[] = [
      (r) => ({ ...r, jku: 'https://attacker.example/keys' }),
      (r) => ({ ...r, alg: 'RSA-OAEP' }),
      (r) => ({ ...r, epk: { ...(r.epk as object), crv: 'P-521' } }),
      (r) => ({ ...r, epk: { ...(r.epk as object), d: 'x'.repeat(43) } }),
      (r) => ({ ...r, epk: { ...(r.epk as object), x: 'x'.repeat(5_000) } }),
    ];
    for (const change of cases) {
      const { res } = await submitWith(h, (body) => {
        const recipients = body.offTheRecord.recipients.map((r) => ({ ...r, header: change(r.header as Record<string, unknown>) }));
        return JSON.stringify({ ...body, offTheRecord: { ...body.offTheRecord, recipients } });
      });
      expect(res.status).toBe(400);
      expect(await code(res)).toBe('VALIDATION_FAILED');
    }
  });
});

describe('public keys must be points on P-256', () => {
  it('refuses an off-curve key at invitation creation with 400, naming the field', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    const visitor = await h.startConversation();
    await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers });
    const res = await h.request(`/v1/conversations/${visitor.id}/invitations`, {
      headers: alice.headers,
      body: { formId: 'card-payment', publicKey: await offCurveKey() },
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: { path: string; reason: string }[] } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.fields).toEqual([{ path: 'publicKey', reason: 'not_a_p256_point' }]);
    expect(await h.all('SELECT id FROM invitations')).toHaveLength(0);
  });

  it('refuses an off-curve one-view key at history view with 400, not 500', async () => {
    const h = await harness();
    const t = await submitted(h);
    const morgan = await h.session('morgan');
    const res = await h.request(`/v1/submissions/${t.submissionId}/history-view`, {
      headers: morgan.headers,
      body: { publicKey: await offCurveKey() },
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { fields: unknown } }).error.fields).toEqual([
      { path: 'publicKey', reason: 'not_a_p256_point' },
    ]);
  });
});

describe('the history view re-seals on-the-record fields only', () => {
  it('drops and audits (ids and count, never the value) a CVV a modified frame put in the on-the-record part', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body, binding } = await seal(view);
    // The modified frame: the CVV and a field the form does not have, inside the on-the-record envelope.
    const onTheRecord = await sealAnswers(
      { cardNumber: CARD, billingPostcode: POSTCODE, cvv: CVV, smuggled: '9999' },
      view.recordKeys,
      binding('on-the-record'),
    );
    const res = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body: { ...body, onTheRecord } });
    expect(res.status).toBe(201);
    const { submissionId } = submitResponseSchema.parse(await res.json());

    const morgan = await h.session('morgan');
    const oneView = await generateInvitationKeyPair();
    const viewed = await h.request(`/v1/submissions/${submissionId}/history-view`, {
      headers: morgan.headers,
      body: { publicKey: oneView.publicJwk },
    });
    expect(viewed.status).toBe(200);
    const got = historyViewResponseSchema.parse(await viewed.json());
    expect(await openAnswers(got.onTheRecord, oneView.privateKey, binding('on-the-record'))).toEqual({
      cardNumber: CARD,
      billingPostcode: POSTCODE,
    });
    const entry = h.audit.entries.find((e) => e.action === 'history.view' && e.outcome === 'success');
    // The form's own field is named; an id the form does not define is attacker-chosen text, so only counted.
    expect(entry).toMatchObject({ droppedFields: { count: 2, fieldIds: ['cvv'] } });
    const dump = JSON.stringify(h.audit.entries) + h.logLines.join('\n');
    expect(typedText(dump)).not.toContain(CVV);
    expect(dump).not.toContain('9999');
    expect(dump).not.toContain('smuggled');
  });

  it('audits nothing extra when the history copy holds only on-the-record fields', async () => {
    const h = await harness();
    const t = await submitted(h);
    const morgan = await h.session('morgan');
    const oneView = await generateInvitationKeyPair();
    const res = await h.request(`/v1/submissions/${t.submissionId}/history-view`, {
      headers: morgan.headers,
      body: { publicKey: oneView.publicJwk },
    });
    expect(res.status).toBe(200);
    expect(h.audit.entries.find((e) => e.action === 'history.view')).not.toHaveProperty('droppedFields');
  });
});
