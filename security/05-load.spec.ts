/**
 * Load. 1,000 full round trips at concurrency 50 against the running server, each the
 * steps the pages take (start a chat, assign, send with a fresh key pair, open, view, seal,
 * submit, the retrieve key from the agent's event stream, retrieve, decrypt). Every answer must
 * come back as sent (none lost, none crossed), each invitation must have exactly one stored
 * submission (none duplicated), and no request may get a 5xx answer.
 */
import type { SealedEnvelope } from '@secure-forms/shared';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { TEST_CARDS } from '../fixtures/cards.js';
import { agentEvents, bindingOf, login, openEnvelope, readyToSubmit, retrieve, submit, type CardAnswers } from './api.js';
import { DATA_DIR, FROM } from './env.js';
import { observers, type HttpAnswer } from './http.js';
import { percentile, pool } from './pool.js';
import { test } from './table.js';

const ROUND_TRIPS = Number(process.env.SEC_LOAD_ROUND_TRIPS ?? 1000);
const CONCURRENCY = Number(process.env.SEC_LOAD_CONCURRENCY ?? 50);

interface Outcome {
  ok: boolean;
  step: string;
  invitationId?: string;
  submissionId?: string;
  ms: number;
  cvvAvailable?: boolean;
}

test(`Load: ${ROUND_TRIPS} full round trips at concurrency ${CONCURRENCY}, none lost or duplicated, no 5xx`, async ({ table }) => {
  test.setTimeout(900_000);
  const from = FROM.load;
  const agents = [await login('alice', { from }), await login('bob', { from })];
  const streams = agents.map((a) => agentEvents(a, from));
  await Promise.all(streams.map((s) => s.opened));

  const statuses = new Map<number, number>();
  const observe = (answer: HttpAnswer) => statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
  observers.add(observe);

  const started = Date.now();
  const outcomes = await pool(ROUND_TRIPS, CONCURRENCY, async (i): Promise<Outcome> => {
    const t0 = Date.now();
    const agent = agents[i % agents.length]!;
    const events = streams[i % streams.length]!;
    const answers: CardAnswers = { cardNumber: TEST_CARDS.visa.number, billingPostcode: `LOAD ${i}`, cvv: String(100 + (i % 900)) };
    let step = 'prepare';
    try {
      const ready = await readyToSubmit(agent, `Load ${i}`, answers, from);
      step = 'submit';
      const submitted = await submit(ready.submitOtk, ready.body, from);
      if (submitted.status !== 201) return { ok: false, step: `submit ${submitted.status}`, ms: Date.now() - t0 };
      const submissionId = (submitted.json as { submissionId: string }).submissionId;
      step = 'retrieve key event';
      const event = await events.waitFor<{ retrieveOtk: string }>(
        (e) => (e as { submissionId?: string }).submissionId === submissionId,
        60_000,
      );
      step = 'retrieve';
      const got = await retrieve(agent, submissionId, event.retrieveOtk, from);
      if (got.status !== 200) return { ok: false, step: `retrieve ${got.status}`, ms: Date.now() - t0 };
      const body = got.json as { onTheRecord: SealedEnvelope; offTheRecord: SealedEnvelope | null; offTheRecordState: string };
      step = 'decrypt';
      const onRecord = await openEnvelope(body.onTheRecord, ready.sent.privateKey, bindingOf(ready.view, 'on-the-record'));
      const cvvAvailable = body.offTheRecordState === 'available' && body.offTheRecord !== null;
      const offRecord = cvvAvailable
        ? await openEnvelope(body.offTheRecord!, ready.sent.privateKey, bindingOf(ready.view, 'off-the-record'))
        : {};
      const same =
        onRecord.billingPostcode === answers.billingPostcode &&
        onRecord.cardNumber === answers.cardNumber &&
        (!cvvAvailable || offRecord.cvv === answers.cvv);
      return {
        ok: same,
        step: same ? 'done' : 'answers differ',
        invitationId: ready.sent.invitationId,
        submissionId,
        ms: Date.now() - t0,
        cvvAvailable,
      };
    } catch (error) {
      return { ok: false, step: `${step}: ${error instanceof Error ? error.message.slice(0, 80) : String(error)}`, ms: Date.now() - t0 };
    }
  });
  const seconds = (Date.now() - started) / 1000;
  observers.delete(observe);
  for (const s of streams) s.close();

  const failed = outcomes.filter((o) => !o.ok);
  const byStep = Object.entries(failed.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.step]: (acc[o.step] ?? 0) + 1 }), {}));
  const times = outcomes.map((o) => o.ms);
  table.add(
    'Load',
    'round trips',
    `${ROUND_TRIPS} full round trips (chat, assign, send, open, view, seal, submit, event, retrieve, decrypt), ${CONCURRENCY} at a time`,
    `${ROUND_TRIPS - failed.length} completed, ${failed.length} failed${byStep.length ? ` (${byStep.map(([s, n]) => `${s} ×${n}`).join('; ')})` : ''} in ${seconds.toFixed(1)} s (${(ROUND_TRIPS / seconds).toFixed(1)}/s; p50 ${percentile(times, 50)} ms, p95 ${percentile(times, 95)} ms)`,
    failed.length === 0,
  );

  const delivered = outcomes.filter((o) => o.ok).length;
  const cvv = outcomes.filter((o) => o.cvvAvailable).length;
  table.add(
    'Load',
    'lost submissions',
    'every retrieved answer decrypted and compared with what was sent',
    `${delivered} of ${ROUND_TRIPS} came back as sent; CVV still in memory for ${cvv}`,
    delivered === ROUND_TRIPS && cvv === ROUND_TRIPS,
  );

  const invitationIds = outcomes.flatMap((o) => (o.invitationId ? [o.invitationId] : []));
  const submissionIds = new Set(outcomes.flatMap((o) => (o.submissionId ? [o.submissionId] : [])));
  const db = new Database(join(DATA_DIR, 'secure-forms.sqlite'), { readonly: true, fileMustExist: true });
  let rows = 0;
  let distinct = 0;
  try {
    for (let i = 0; i < invitationIds.length; i += 500) {
      const chunk = invitationIds.slice(i, i + 500);
      const row = db
        .prepare(
          `SELECT COUNT(*) AS n, COUNT(DISTINCT invitation_id) AS d FROM submissions WHERE invitation_id IN (${chunk.map(() => '?').join(',')})`,
        )
        .get(...chunk) as { n: number; d: number };
      rows += row.n;
      distinct += row.d;
    }
  } finally {
    db.close();
  }
  table.add(
    'Load',
    'duplicated submissions',
    'distinct submission ids; rows in SQLite per invitation',
    `${submissionIds.size} distinct ids; ${rows} stored rows for ${distinct} invitations`,
    submissionIds.size === ROUND_TRIPS && rows === ROUND_TRIPS && distinct === ROUND_TRIPS,
  );

  const total = [...statuses.values()].reduce((a, b) => a + b, 0);
  const serverErrors = [...statuses.entries()].filter(([s]) => s >= 500).reduce((a, [, n]) => a + n, 0);
  table.add(
    'Load',
    '5xx answers',
    'every HTTP answer during the load',
    `${total} answers: ${[...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s} ×${n}`)
      .join(', ')}; ${serverErrors} ≥ 500`,
    serverErrors === 0,
  );
  table.expectAllHeld();
});
