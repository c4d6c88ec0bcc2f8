/**
 * Envelopes against the real server (never-list rows 1 and 2, docs/never-list.md): off-the-record
 * answers leave the backend once, even to 50
 * parallel retrieves; JWE headers 38,000 levels deep are refused with 400 and leave nothing to
 * fail on retrieve; a public key off the P-256 curve is refused where it is accepted; and a CVV a
 * modified frame hid in the on-the-record part never reaches the manager's history view, with
 * an audit line that names the field and holds no value.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateInvitationKeyPair, openAnswers, sealAnswers, type PublicJwk } from '@secure-forms/shared';
import {
  bindingOf,
  freshRetrieveOtk,
  login,
  readyToSubmit,
  retrieve,
  startConversation,
  assign,
  submit,
  FROM_BRAND,
  type Session,
} from './api.js';
import { CVV, TEST_CARDS } from '../fixtures/cards.js';
import { DATA_DIR, FROM, PCI } from './env.js';
import { call, codeOf, type HttpAnswer } from './http.js';
import { test } from './table.js';

const CARD = { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'SW1A 1AA', cvv: CVV };
/** The CVV as a value (a JSON string or number), not three digits inside an id or a time. */
const cvvIn = (line: string) => new RegExp(`[":]${CARD.cvv}(?:"|[,}])`).test(line);
const deepJson = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
const statusCode = (a: HttpAnswer) => `${a.status} ${codeOf(a) || ''}`.trim();
const tally = (items: string[]) =>
  [...items.reduce((m, c) => m.set(c, (m.get(c) ?? 0) + 1), new Map<string, number>())].map(([c, n]) => `${c} ×${n}`).join(', ');

/** A key that passes the JWK schema but is no point on P-256: x of one key, y of another. */
async function offCurveKey(): Promise<PublicJwk> {
  const [a, b] = await Promise.all([generateInvitationKeyPair(), generateInvitationKeyPair()]);
  return { kty: 'EC', crv: 'P-256', x: a.publicJwk.x, y: b.publicJwk.y };
}

/** Submit the card form, with `edit` applied to the body's JSON text; returns the submission id. */
async function submitted(alice: Session, name: string, edit: (json: string) => string = (j) => j) {
  const ready = await readyToSubmit(alice, name, CARD, FROM.envelopes);
  const answer = await submit(ready.submitOtk, edit(JSON.stringify(ready.body)), FROM.envelopes);
  return { ready, answer, submissionId: (answer.json as { submissionId?: string } | null)?.submissionId ?? '' };
}

/** The audit lines (every daily file) that mention `id`; the sink writes asynchronously, so wait for `until`. */
async function auditLinesOf(id: string, until: (lines: string[]) => boolean): Promise<string[]> {
  let lines: string[] = [];
  for (let i = 0; i < 50; i++) {
    lines = readdirSync(DATA_DIR)
      .filter((f) => f.startsWith('audit'))
      .flatMap((f) => readFileSync(join(DATA_DIR, f), 'utf8').split('\n'))
      .filter((l) => l.includes(id));
    if (until(lines)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return lines;
}

test('Envelopes: off-the-record answers leave the backend once', async ({ table }) => {
  const alice = await login('alice', { from: FROM.envelopesAgent });
  const { ready, submissionId } = await submitted(alice, 'Olive Once');
  const otks = [];
  for (let i = 0; i < 50; i++) otks.push(await freshRetrieveOtk(alice, submissionId, FROM.envelopesAgent));
  const answers = await Promise.all(otks.map((otk) => retrieve(alice, submissionId, otk, FROM.envelopesAgent)));
  const bodies = answers.map((a) => a.json as { offTheRecord: unknown; offTheRecordState: string });
  const got = bodies.filter((b) => b.offTheRecord !== null).length;
  const holder = answers.find((a) => (a.json as { offTheRecord: unknown }).offTheRecord);
  let opened = '';
  if (holder) {
    const envelope = (holder.json as { offTheRecord: Parameters<typeof openAnswers>[0] }).offTheRecord;
    opened = (await openAnswers(envelope, ready.sent.privateKey, bindingOf(ready.view, 'off-the-record'))).cvv ?? '';
  }
  table.add(
    'Envelopes',
    'off the record, 50 parallel retrieves',
    'the sending agent retrieves one submission 50 times at once, each with its own retrieve key',
    `${tally(answers.map((a) => String(a.status)))}; states ${tally(bodies.map((b) => b.offTheRecordState))}; ${got} carried the CVV`,
    answers.every((a) => a.status === 200) &&
      got === 1 &&
      opened === CARD.cvv &&
      bodies.filter((b) => b.offTheRecordState === 'handed-out').length === 49,
  );

  const later = await retrieve(alice, submissionId, await freshRetrieveOtk(alice, submissionId, FROM.envelopesAgent), FROM.envelopesAgent);
  const laterBody = later.json as { onTheRecord: unknown; offTheRecord: unknown; offTheRecordState: string };
  table.add(
    'Envelopes',
    'off the record, a later retrieve',
    'retrieve again with a fresh key after it was handed out',
    `${later.status}; offTheRecordState ${laterBody.offTheRecordState}; on-the-record part ${laterBody.onTheRecord ? 'present' : 'missing'}`,
    later.status === 200 &&
      laterBody.offTheRecordState === 'handed-out' &&
      laterBody.offTheRecord === null &&
      laterBody.onTheRecord !== null,
  );

  const replay = await retrieve(alice, submissionId, otks[0]!, FROM.envelopesAgent);
  const bob = await login('bob', { from: FROM.envelopes });
  const other = await retrieve(bob, submissionId, await freshRetrieveOtk(alice, submissionId, FROM.envelopesAgent), FROM.envelopes);
  table.add(
    'Envelopes',
    'off the record, replayed key and second agent',
    'replay a spent retrieve key; bob presents a fresh key of alice',
    `replay ${statusCode(replay)}; bob ${statusCode(other)}`,
    codeOf(replay) === 'OTK_USED' && codeOf(other) === 'NOT_SENDER',
  );
  table.expectAllHeld();
});

test('Envelopes: JWE headers are strict and bounded', async ({ table }) => {
  const alice = await login('alice', { from: FROM.envelopesAgent });
  const unprotected = await submitted(alice, 'Dee Deep', (json) =>
    json.replace('"onTheRecord":{', `"onTheRecord":{"unprotected":${deepJson(38_000)},`),
  );
  table.add(
    'Envelopes',
    'a 38,000-deep unprotected header',
    'submit with the on-the-record part carrying a 38,000-deep unprotected header',
    statusCode(unprotected.answer),
    unprotected.answer.status === 400 && codeOf(unprotected.answer) === 'VALIDATION_FAILED',
  );

  const recipient = await submitted(alice, 'Dee Deeper', (json) => {
    const body = JSON.parse(json) as { offTheRecord: { recipients: { header?: unknown }[] } };
    body.offTheRecord.recipients[0]!.header = '@DEEP@';
    return JSON.stringify(body).replace('"@DEEP@"', deepJson(38_000));
  });
  // Whatever the submit said, a retrieve of that invitation's submission must not fail.
  table.add(
    'Envelopes',
    'a 38,000-deep recipient header off the record',
    'submit with the off-the-record recipient header 38,000 levels deep',
    `${statusCode(recipient.answer)}; nothing stored to retrieve`,
    recipient.answer.status === 400 && codeOf(recipient.answer) === 'VALIDATION_FAILED' && recipient.submissionId === '',
  );

  const foreign = await submitted(alice, 'Jay Jku', (json) =>
    json.replace('"header":{"alg"', '"header":{"jku":"http://127.0.0.1:18442/k","alg"'),
  );
  const fine = await submitted(alice, 'Fay Fine');
  const retrieved = await retrieve(
    alice,
    fine.submissionId,
    await freshRetrieveOtk(alice, fine.submissionId, FROM.envelopesAgent),
    FROM.envelopesAgent,
  );
  table.add(
    'Envelopes',
    'a header member JWE does not need',
    'submit with jku in a recipient header; then an ordinary submission and its retrieve',
    `jku ${statusCode(foreign.answer)}; ordinary ${statusCode(fine.answer)}, retrieve ${retrieved.status}`,
    codeOf(foreign.answer) === 'VALIDATION_FAILED' && fine.answer.status === 201 && retrieved.status === 200,
  );
  table.expectAllHeld();
});

test('Envelopes: public keys must be points on P-256', async ({ table }) => {
  const alice = await login('alice', { from: FROM.envelopesAgent });
  const visitor = await startConversation('Kurt Curve', { from: FROM.envelopes });
  await assign(alice, visitor.id, FROM.envelopesAgent);
  const created = await call(`${PCI}/v1/conversations/${visitor.id}/invitations`, {
    headers: alice.headers,
    body: { formId: 'card-payment', publicKey: await offCurveKey() },
    from: FROM.envelopesAgent,
  });
  const fields = (created.json as { error?: { fields?: { path: string; reason: string }[] } }).error?.fields ?? [];
  table.add(
    'Envelopes',
    'an off-curve key at invitation creation',
    'send a form with a public key whose x and y come from two keys',
    `${statusCode(created)} ${fields.map((f) => `${f.path}:${f.reason}`).join(', ')}`,
    created.status === 400 && codeOf(created) === 'VALIDATION_FAILED' && fields.some((f) => f.path === 'publicKey'),
  );

  const { submissionId } = await submitted(alice, 'Hal History');
  const morgan = await login('morgan', { from: FROM.envelopes, totp: true });
  const viewed = await call(`${PCI}/v1/submissions/${submissionId}/history-view`, {
    headers: morgan.headers,
    body: { publicKey: await offCurveKey() },
    from: FROM.envelopes,
  });
  table.add(
    'Envelopes',
    'an off-curve key at history view',
    'morgan asks for a history view sealed to an off-curve key',
    statusCode(viewed),
    viewed.status === 400 && codeOf(viewed) === 'VALIDATION_FAILED',
  );
  table.expectAllHeld();
});

test('Envelopes: the history view re-seals on-the-record fields only', async ({ table }) => {
  const alice = await login('alice', { from: FROM.envelopesAgent });
  const ready = await readyToSubmit(alice, 'Mo Modified', CARD, FROM.envelopes);
  // The modified frame: the CVV inside the on-the-record envelope too (sealed to the history key as well).
  const onTheRecord = await sealAnswers(
    { cardNumber: CARD.cardNumber, billingPostcode: CARD.billingPostcode, cvv: CARD.cvv },
    ready.view.recordKeys,
    bindingOf(ready.view, 'on-the-record'),
  );
  const stored = await submit(ready.submitOtk, { ...ready.body, onTheRecord }, FROM.envelopes);
  const submissionId = (stored.json as { submissionId: string }).submissionId;
  const morgan = await login('morgan', { from: FROM.envelopes, totp: true });
  const oneView = await generateInvitationKeyPair();
  const viewed = await call(`${PCI}/v1/submissions/${submissionId}/history-view`, {
    headers: { ...morgan.headers, ...FROM_BRAND },
    body: { publicKey: oneView.publicJwk },
    from: FROM.envelopes,
  });
  const envelope = (viewed.json as { onTheRecord: Parameters<typeof openAnswers>[0] }).onTheRecord;
  const shown = viewed.status === 200 ? await openAnswers(envelope, oneView.privateKey, bindingOf(ready.view, 'on-the-record')) : {};
  table.add(
    'Envelopes',
    'a CVV in the on-the-record part',
    'a modified frame seals the CVV on the record too; morgan opens the history view',
    `${stored.status} stored; view ${viewed.status} with fields ${Object.keys(shown).join(', ') || 'none'}`,
    stored.status === 201 && viewed.status === 200 && !('cvv' in shown) && shown.cardNumber === CARD.cardNumber,
  );

  const lines = await auditLinesOf(submissionId, (l) => l.some((x) => x.includes('history.view')));
  const line = lines.find((l) => l.includes('"history.view"')) ?? '';
  const dropped = (JSON.parse(line || '{}') as { droppedFields?: { count: number; fieldIds: string[] } }).droppedFields;
  table.add(
    'Envelopes',
    'the audit line of the drop',
    'read the history.view audit line of that submission',
    dropped ? `droppedFields ${JSON.stringify(dropped)}; the CVV in the line: ${cvvIn(line) ? 'yes' : 'no'}` : 'no droppedFields',
    dropped?.count === 1 && dropped.fieldIds.join() === 'cvv' && !cvvIn(line),
  );
  table.expectAllHeld();
});
