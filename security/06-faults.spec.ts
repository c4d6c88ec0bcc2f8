/**
 * Faults; the off-the-record part proves never-list row 2 (docs/never-list.md). The server is killed with SIGKILL during a burst of submissions and started
 * again on the same data directory: every acknowledged submission must be retrievable, every cut
 * one can be sent again with the same key (or was stored before the kill), none is stored twice,
 * and the off-the-record values are gone, as designed, with the agent told so. In the browser, the
 * visitor whose request was cut sees a clear message and sends again. A database locked by another
 * process answers with a clear error, and the server lives on.
 */
import type { Route } from '@playwright/test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  assign,
  bindingOf,
  freshRetrieveOtk,
  login,
  openEnvelope,
  readyToSubmit,
  retrieve,
  sendInvitation,
  submit,
  type CardAnswers,
} from './api.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { Watched } from './browser.js';
import { DATA_DIR, FROM, PCI } from './env.js';
import { openForm, review, send, sendForm, signIn, startChat, take } from './flows.js';
import { call, codeOf, resetConnections } from './http.js';
import { pool } from './pool.js';
import { isAlive, serverPid, startServer, stopServer } from './server.js';
import { expect, test } from './table.js';

const from = FROM.faults;
const answersFor = (i: number): CardAnswers => ({
  cardNumber: TEST_CARDS.mastercard.number,
  billingPostcode: `BURST ${i}`,
  cvv: String(100 + i),
});

test('Faults: SIGKILL during a burst of submissions, then a restart on the same data', async ({ table }) => {
  test.setTimeout(300_000);
  const BURST = 150;
  const KILL_AFTER_ACKS = 20;
  const alice = await login('alice', { from });
  const prepared = await pool(BURST, 25, (i) => readyToSubmit(alice, `Burst ${i}`, answersFor(i), from));

  const pid = serverPid()!;
  const outcomes: (
    { kind: 'acked'; submissionId: string } | { kind: 'cut'; error: string } | { kind: 'refused'; status: number; code: string }
  )[] = [];
  let acks = 0;
  let killedAt = 0;
  const kill = () => {
    if (killedAt) return;
    killedAt = Date.now();
    process.kill(pid, 'SIGKILL');
  };
  await Promise.all(
    prepared.map((p, i) =>
      submit(p.submitOtk, p.body, from).then(
        (answer) => {
          if (answer.status === 201) {
            outcomes[i] = { kind: 'acked', submissionId: (answer.json as { submissionId: string }).submissionId };
            if (++acks === KILL_AFTER_ACKS) kill();
          } else {
            outcomes[i] = { kind: 'refused', status: answer.status, code: codeOf(answer) };
          }
        },
        (error: Error) => {
          outcomes[i] = { kind: 'cut', error: error.message };
        },
      ),
    ),
  );
  kill();
  while (isAlive(pid)) await sleep(20);
  resetConnections();
  const acked = outcomes.flatMap((o, i) => (o.kind === 'acked' ? [{ i, submissionId: o.submissionId }] : []));
  const cut = outcomes.flatMap((o, i) => (o.kind === 'cut' ? [i] : []));
  const refused = outcomes.filter((o) => o.kind === 'refused');
  const restartFrom = Date.now();
  await startServer();
  const restartMs = Date.now() - restartFrom;
  table.add(
    'Faults',
    'SIGKILL during a burst of submissions',
    `${BURST} concurrent submissions; SIGKILL right after the ${KILL_AFTER_ACKS}th acknowledgement; restart on the same data directory`,
    `${acked.length} acknowledged, ${cut.length} cut, ${refused.length} refused${refused.length ? ` (${refused.map((r) => (r.kind === 'refused' ? `${r.status} ${r.code}` : '')).join(', ')})` : ''}; back up in ${restartMs} ms`,
    refused.length === 0 && cut.length > 0 && acked.length >= KILL_AFTER_ACKS,
  );

  // Every acknowledged submission: retrievable, decrypts to what was sent; its CVV is gone.
  const again = await login('alice', { from });
  let retrieved = 0;
  let cvvGone = 0;
  const problems: string[] = [];
  for (const { i, submissionId } of acked) {
    const p = prepared[i]!;
    const got = await retrieve(again, submissionId, await freshRetrieveOtk(again, submissionId, from), from);
    if (got.status !== 200) {
      problems.push(`#${i}: retrieve ${got.status} ${codeOf(got)}`);
      continue;
    }
    const body = got.json as { onTheRecord: never; offTheRecord: unknown; offTheRecordState: string };
    const answers = await openEnvelope(body.onTheRecord, p.sent.privateKey, bindingOf(p.view, 'on-the-record'));
    if (answers.billingPostcode === answersFor(i).billingPostcode) retrieved++;
    else problems.push(`#${i}: answers differ`);
    if (body.offTheRecordState === 'expired' && body.offTheRecord === null) cvvGone++;
  }
  table.add(
    'Faults',
    'acknowledged submissions after the restart',
    'the sender retrieves each one with a fresh key and decrypts it',
    `${retrieved} of ${acked.length} retrieved as sent${problems.length ? `; ${problems.slice(0, 3).join('; ')}` : ''}`,
    retrieved === acked.length,
  );
  table.add(
    'Faults',
    'off-the-record values after the restart',
    'the CVV of each acknowledged submission',
    `${cvvGone} of ${acked.length} gone by design; the answer says offTheRecordState "expired", which the panel tells the agent`,
    cvvGone === acked.length,
  );

  // Every cut submission: the visitor sends again with the same key.
  let resent = 0;
  let storedBefore = 0;
  const lost: string[] = [];
  for (const i of cut) {
    const p = prepared[i]!;
    const answer = await submit(p.submitOtk, p.body, from);
    if (answer.status === 201) {
      resent++;
      continue;
    }
    // Stored and committed just before the kill, but never acknowledged: the key is spent, and the
    // invitation shows the submission (the visitor reopening the form is told it was sent).
    const invitation = await call(`${PCI}/v1/invitations/${p.sent.invitationId}`, { headers: again.headers, from });
    const view = invitation.json as { state?: string; submissionId?: string | null };
    if (codeOf(answer) === 'OTK_USED' && view.submissionId) storedBefore++;
    else lost.push(`#${i}: ${answer.status} ${codeOf(answer)}, invitation ${view.state}`);
  }
  table.add(
    'Faults',
    'cut submissions',
    'each visitor whose request was cut sends again with the same submit key',
    `${resent} stored on the second try; ${storedBefore} had been stored before the kill; ${lost.length} lost${lost.length ? ` (${lost.slice(0, 3).join('; ')})` : ''}`,
    lost.length === 0 && resent + storedBefore === cut.length,
  );

  const ids = prepared.map((p) => p.sent.invitationId);
  const db = new Database(join(DATA_DIR, 'secure-forms.sqlite'), { readonly: true, fileMustExist: true });
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT invitation_id) AS d FROM submissions WHERE invitation_id IN (${ids.map(() => '?').join(',')})`,
    )
    .get(...ids) as { n: number; d: number };
  db.close();
  table.add(
    'Faults',
    'no submission stored twice',
    'rows in SQLite for the burst invitations',
    `${row.n} rows for ${row.d} invitations (of ${BURST})`,
    row.n === BURST && row.d === BURST,
  );
  table.expectAllHeld();
});

test('Faults: the visitor whose request was cut sees a clear message and sends again; the agent is told the CVV is gone', async ({
  browser,
  table,
}) => {
  test.setTimeout(240_000);
  const visitorW = await Watched.open(browser, 'faults: visitor');
  const aliceW = await Watched.open(browser, 'faults: alice');
  const visitor = visitorW.page;
  const alice = aliceW.page;
  await startChat(visitor, 'Kurt Killed');
  await signIn(alice, 'alice', 'Alice Agent');
  await take(alice, 'Kurt Killed');
  const panel = alice.locator('secure-form-panel');

  // The first form is sent and acknowledged; the panel's retrieval is held until after the restart.
  const heldRetrievals: Route[] = [];
  let holding = true;
  await aliceW.context.route('**/v1/submissions/*/retrieve', (route) =>
    holding ? void heldRetrievals.push(route) : void route.continue(),
  );
  await sendForm(alice, 'Payment card');
  let frame = await openForm(visitor, 'Card number');
  await frame.getByLabel('Card number').fill(TEST_CARDS.visa.number);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Name on the card').fill('Ada Lovelace');
  await frame.getByLabel('Billing postcode').fill('KILL 1');
  await frame.getByLabel('Security code (CVV)').fill('321');
  await review(frame);
  await send(frame);
  await expect(visitor.locator('secure-form-invite').getByText('Sent securely').first()).toBeVisible();
  await expect.poll(() => heldRetrievals.length).toBe(1);

  // The second form's submission is on its way when the server dies.
  await sendForm(alice, 'Payment card');
  frame = await openForm(visitor, 'Card number');
  await frame.getByLabel('Card number').fill(TEST_CARDS.mastercard.number);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Name on the card').fill('Ada Lovelace');
  await frame.getByLabel('Billing postcode').fill('KILL 2');
  await frame.getByLabel('Security code (CVV)').fill('654');
  await review(frame);
  const inFlight: Route[] = [];
  await visitorW.context.route('**/v1/submissions', (route) => void inFlight.push(route));
  await send(frame);
  await expect.poll(() => inFlight.length).toBe(1);
  await stopServer('SIGKILL');
  await inFlight[0]!.continue();
  const message = frame.getByRole('alert').filter({ hasText: 'connection failed' });
  await expect(message).toBeVisible();
  const text = (await message.locator('p').first().innerText()).replace(/\s+/g, ' ').trim();
  const retry = frame.getByRole('button', { name: 'Try again' });
  await expect(retry).toBeVisible();
  table.add(
    'Faults',
    "the visitor's request cut by the kill",
    'SIGKILL while the submission is on its way',
    `the form says: "${text}"`,
    /not sent/.test(text) && /try again/i.test(text),
  );
  await visitorW.context.unroute('**/v1/submissions');

  await startServer();
  holding = false;
  for (const route of heldRetrievals) await route.continue();
  const gone = panel.getByText(/deleted before they were read/);
  await expect(gone).toBeVisible();
  table.add(
    'Faults',
    'the agent after the restart',
    "the panel's first retrieval reaches the new process",
    `the panel says: "${(await gone.innerText()).replace(/\s+/g, ' ').trim()}"`,
    true,
  );

  // The panel's event stream comes back (it reconnects with backoff), then the visitor tries again.
  await expect
    .poll(() => aliceW.watch.responses.filter((r) => r.url.endsWith('/v1/agent/events') && r.status === 200).length, { timeout: 60_000 })
    .toBeGreaterThanOrEqual(4);
  await retry.click();
  await expect(visitor.locator('secure-form-invite').getByText('Sent securely')).toHaveCount(2);
  await expect(panel.getByRole('button', { name: 'Reveal Security code (CVV)' })).toHaveCount(1);
  table.add(
    'Faults',
    'the visitor tries again',
    '"Try again" with the same form after the restart',
    'sent securely; the agent reads it, CVV included',
    true,
  );
  expect([...visitorW.watch.unexpectedViolations(), ...aliceW.watch.unexpectedViolations()]).toEqual([]);
  await visitorW.watch.close();
  await aliceW.watch.close();
  table.expectAllHeld();
});

test('Faults: a locked or busy database gives a clear error, not a crash', async ({ browser, table }) => {
  test.setTimeout(240_000);
  const pid = serverPid()!;
  const alice = await login('alice', { from });
  const p = await readyToSubmit(alice, 'Bea Busy', { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'BUSY 1', cvv: '111' }, from);
  const file = join(DATA_DIR, 'secure-forms.sqlite');

  // 1. Another process holds the write lock.
  const other = new Database(file);
  other.exec('BEGIN IMMEDIATE');
  const t0 = Date.now();
  const busy = await submit(p.submitOtk, p.body, from);
  const busyMs = Date.now() - t0;
  const read = await call(`${PCI}/v1/conversations/${p.visitor.id}/messages`, { headers: p.visitor.headers, from });
  other.exec('ROLLBACK');
  other.close();
  const busyMessage = (busy.json as { error?: { message?: string } } | null)?.error?.message ?? '';
  table.add(
    'Faults',
    'database write-locked by another process',
    'a visitor submits while another connection holds BEGIN IMMEDIATE',
    `${busy.status} ${codeOf(busy)} "${busyMessage}", Retry-After ${busy.headers['retry-after'] ?? 'none'}, after ${busyMs} ms; reads meanwhile: ${read.status}`,
    busy.status === 503 &&
      codeOf(busy) === 'INTERNAL' &&
      /busy/i.test(busyMessage) &&
      busy.headers['retry-after'] !== undefined &&
      read.status === 200,
  );
  const after = await submit(p.submitOtk, p.body, from);
  table.add(
    'Faults',
    'after the write lock',
    'the same submission, same key',
    `${after.status} (the refusal did not spend the key)`,
    after.status === 201,
  );

  const recovered = await call(`${PCI}/v1/conversations/${p.visitor.id}/messages`, { headers: p.visitor.headers, from });

  // 3. In the browser: the visitor sends while the database is busy, then tries again.
  const visitorW = await Watched.open(browser, 'faults: busy visitor');
  const visitor = visitorW.page;
  const chat = await startChat(visitor, 'Bo Busy');
  await assign(alice, chat.conversationId, from);
  await sendInvitation(alice, chat.conversationId, { from });
  const frame = await openForm(visitor, 'Card number');
  await frame.getByLabel('Card number').fill(TEST_CARDS.visa.number);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Name on the card').fill('Ada Lovelace');
  await frame.getByLabel('Billing postcode').fill('BUSY 2');
  await frame.getByLabel('Security code (CVV)').fill('222');
  await review(frame);
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  await send(frame);
  const problem = frame.getByRole('alert').filter({ hasText: /went wrong|busy/ });
  await expect(problem).toBeVisible({ timeout: 20_000 });
  holder.exec('ROLLBACK');
  holder.close();
  const said = (await problem.locator('p').first().innerText()).replace(/\s+/g, ' ').trim();
  await frame.getByRole('button', { name: 'Try again' }).click();
  await expect(visitor.locator('secure-form-invite').getByText('Sent securely')).toBeVisible();
  table.add(
    'Faults',
    'the visitor while the database is busy',
    'send the form while another connection holds the write lock; then Try again',
    `the form says: "${said}"; the second try is sent securely`,
    /nothing was sent/i.test(said),
  );
  await visitorW.watch.close();

  table.add(
    'Faults',
    'the server lives on',
    'its process and answers after the locks',
    `same process ${isAlive(pid) && serverPid() === pid ? 'still running' : 'GONE'}; transcript ${recovered.status}`,
    isAlive(pid) && serverPid() === pid && recovered.status === 200,
  );

  // 4. Another process holds the database exclusively (a second server, a backup) when the server starts.
  await stopServer('SIGTERM');
  const exclusive = new Database(file);
  exclusive.pragma('locking_mode = EXCLUSIVE');
  exclusive.exec('BEGIN EXCLUSIVE');
  exclusive.exec('COMMIT');
  const refusedStart = await startServer().then(
    () => 'STARTED',
    (error: Error) => error.message.split('\n').find((line) => line.includes('locked')) ?? error.message.slice(0, 200),
  );
  exclusive.close();
  table.add(
    'Faults',
    'database locked exclusively at start',
    'start the server while another process holds an exclusive lock on its database',
    `it stops and says: "${refusedStart.trim()}"`,
    refusedStart !== 'STARTED' && /locked by another process/.test(refusedStart),
  );
  await startServer();
  const backUp = await call(`${PCI}/v1/conversations/${p.visitor.id}/messages`, { headers: p.visitor.headers, from });
  table.add('Faults', 'after the exclusive lock', 'start the server again', `transcript ${backUp.status}`, backUp.status === 200);
  table.expectAllHeld();
});
