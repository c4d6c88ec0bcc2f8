/**
 * Never-list rows 1 and 2 (docs/never-list.md): the canary scan. A visitor types canary values (an American Express test card number,
 * its 4-digit CID, a voided SSN, a secret answer unique to this run) through full round trips in
 * the demo pages: a form opened, cancelled and reopened; a transfer to another agent, who sends
 * an identity form; a form that runs out of time with the canaries typed in; and a manager who
 * reads the responses in history. Then every sink is read, and no canary may be in any of them.
 * A control proves the scan finds them where they belong: in the agents' panels after Reveal.
 */
import type { FrameLocator, Page } from '@playwright/test';
import { brandDom, frameStorage, Watched } from './browser.js';
import { CANARY, describeHits, findCanaries } from './canaries.js';
import { BRAND, FROM, PCI, SITE } from './env.js';
import { openForm, review, send, sendForm, signIn, startChat, take } from './flows.js';
import { call, EventStream } from './http.js';
import { dataDirSinks, scan, serverSinks, textSink } from './sinks.js';
import { expect, test } from './table.js';

const VISITOR = 'Cara Canary';

async function typeCard(frame: FrameLocator): Promise<void> {
  await frame.getByLabel('Card number').fill(CANARY.card.typed);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Name on the card').fill('Ada Lovelace');
  await frame.getByLabel('Billing postcode').fill('SW1A 2AA');
  await frame.getByLabel('Security code (CVV)').fill(CANARY.cid);
}

/** Reveal each answer in turn (the panel shows one at a time); the page's DOM while each shows. */
async function reveal(page: Page, labels: string[]): Promise<string> {
  const panel = page.locator('secure-form-panel');
  const doms: string[] = [];
  for (const label of labels) {
    const button = panel.getByRole('button', { name: `Reveal ${label}` }).last();
    await button.click();
    // The Reveal toggle keeps its name and says it is on with aria-pressed.
    await expect(button).toHaveAttribute('aria-pressed', 'true');
    doms.push(await brandDom(page, BRAND));
  }
  return doms.join('\n');
}

test('Canary scan: no card number, CVV, SSN or secret answer in any sink after full round trips', async ({ browser, table }) => {
  test.setTimeout(360_000);
  const watched: Watched[] = [];
  const pages: Page[] = [];
  const open = async (label: string) => {
    const w = await Watched.open(browser, `canary: ${label}`);
    watched.push(w.watch);
    pages.push(w.page);
    return w;
  };
  const streams: EventStream[] = [];
  const follow = (url: string, headers: Record<string, string>) => {
    const stream = new EventStream(url, { ...headers, Origin: BRAND }, FROM.scan);
    streams.push(stream);
    return stream;
  };
  const brandDoms: string[] = [];
  const storages: string[] = [];
  /** The visitor's brand page (DOM and storage of every frame, the PCI frame's too). */
  const snapshot = async (page: Page) => {
    brandDoms.push(await brandDom(page, BRAND));
    for (const s of await frameStorage(page)) storages.push(`${s.origin}\n${s.text}`);
  };
  /** What the agents' panels show after Reveal, where the values belong: the scan's control. */
  const revealed: string[] = [];

  const visitorW = await open('visitor');
  const visitor = visitorW.page;
  const chat = await startChat(visitor, VISITOR);
  follow(`${PCI}/v1/conversations/${chat.conversationId}/events`, { 'Secure-Forms-Conversation': chat.token });

  const aliceW = await open('alice');
  const alice = aliceW.page;
  const aliceSession = await signIn(alice, 'alice', 'Alice Agent');
  follow(`${PCI}/v1/agent/events`, { 'Secure-Forms-Session': aliceSession.token });
  await take(alice, VISITOR);
  await sendForm(alice, 'Payment card');

  // 1. Open, type the canaries, cancel unsent; reopen, type them again, send.
  let frame = await openForm(visitor, 'Card number');
  await typeCard(frame);
  await snapshot(visitor);
  await frame.getByRole('button', { name: 'Cancel' }).click();
  await expect(visitor.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  frame = await openForm(visitor, 'Card number');
  await typeCard(frame);
  await review(frame);
  await snapshot(visitor);
  await send(frame);
  await expect(visitor.locator('secure-form-invite').getByText('Sent securely').first()).toBeVisible();
  revealed.push(await reveal(alice, ['Card number', 'Security code (CVV)']));
  table.add(
    'Sinks',
    'round trip: cancel and reopen',
    'card form opened, canaries typed, cancelled; reopened, typed, sent; alice revealed',
    'done',
    true,
  );

  // 2. Alice hands the chat to Bob, who sends the identity form; the visitor answers it.
  const bobW = await open('bob');
  const bob = bobW.page;
  const bobSession = await signIn(bob, 'bob', 'Bob Agent');
  follow(`${PCI}/v1/agent/events`, { 'Secure-Forms-Session': bobSession.token });
  const transfer = await call(`${PCI}/v1/conversations/${chat.conversationId}/transfer`, {
    headers: { 'Secure-Forms-Session': aliceSession.token, Origin: BRAND },
    body: { agentId: bobSession.operatorId },
    from: FROM.scan,
  });
  expect(transfer.status, transfer.text).toBe(200);
  await bob.getByRole('button', { name: `Open conversation with ${VISITOR}` }).click();
  await sendForm(bob, 'Identity check');
  frame = await openForm(visitor, 'Social Security number');
  await frame.getByLabel('Social Security number').fill(CANARY.ssn.typed);
  await frame.getByLabel('Answer to your secret question').fill(CANARY.secretAnswer);
  await review(frame);
  await snapshot(visitor);
  await send(frame);
  await expect(visitor.getByText('Sent securely').last()).toBeVisible();
  revealed.push(await reveal(bob, ['Social Security number', 'Answer to your secret question']));
  table.add(
    'Sinks',
    'round trip: transfer',
    'alice transferred the chat to bob; bob sent the identity form; the visitor sent SSN and secret answer',
    'done',
    true,
  );

  // 3. Bob sends the card form again; the visitor types the canaries and the time runs out.
  await sendForm(bob, 'Payment card');
  frame = await openForm(visitor, 'Card number');
  await typeCard(frame);
  await snapshot(visitor);
  // Move the visitor's clock past the deadline: the frame's one-second tick then sees it.
  await visitorW.context.clock.install();
  await visitorW.context.clock.fastForward('31:00');
  await expect(
    visitor
      .locator('secure-form-invite')
      .getByText(/timed out|ran out/)
      .first(),
  ).toBeVisible();
  await snapshot(visitor);
  table.add(
    'Sinks',
    'round trip: expiry',
    'the card form open with the canaries typed, then its 30-minute deadline passed',
    'the form expired and was cleared',
    true,
  );

  // 4. A manager with the history permission reads both responses.
  const morganW = await open('morgan');
  const morgan = morganW.page;
  const morganSession = await signIn(morgan, 'morgan', 'Morgan Manager', { totp: true });
  follow(`${PCI}/v1/agent/events`, { 'Secure-Forms-Session': morganSession.token });
  await morgan.getByRole('button', { name: `Open conversation with ${VISITOR}` }).click();
  const history = morgan.locator('secure-form-panel');
  for (const title of ['Payment card', 'Identity check']) {
    await history
      .getByRole('button', { name: `View answers to ${title}` })
      .first()
      .click();
  }
  await reveal(morgan, ['Card number', 'Social Security number', 'Answer to your secret question']);
  await expect(history.getByText(/Security code/)).toHaveCount(0);
  table.add(
    'Sinks',
    'round trip: manager view',
    'morgan (history permission, second factor) viewed and revealed both responses',
    'done; no CVV offered',
    true,
  );

  // Control: the scan finds the canaries where they belong (the agents' panels after Reveal).
  const inPanels = describeHits(findCanaries(revealed.join('\n')));
  const control = ['card number', 'CVV', 'SSN', 'secret answer'].every((c) => inPanels.includes(c));
  table.add(
    'Sinks',
    'control: the scan finds what is there',
    "the agents' panels after Reveal (where the values belong)",
    inPanels || 'nothing found',
    control,
  );

  // Every sink.
  await snapshot(visitor);
  for (const [i, w] of watched.entries()) {
    for (const s of await frameStorage(pages[i]!)) storages.push(`${s.origin}\n${s.text}`);
    const state = await w.context.storageState({ indexedDB: true });
    storages.push(JSON.stringify(state));
    // The PCI origin's own (unpartitioned) storage, as a top-level page of that origin sees it.
    const pciPage = await w.context.newPage();
    await pciPage.goto(`${PCI}/frame/?site=${SITE}&host=${encodeURIComponent(BRAND)}`);
    for (const s of await frameStorage(pciPage)) storages.push(`${s.origin}\n${s.text}`);
    await pciPage.close();
  }
  const transcriptParts: string[] = [];
  for (const headers of [{ 'Secure-Forms-Conversation': chat.token }, { 'Secure-Forms-Session': bobSession.token }] as Record<
    string,
    string
  >[]) {
    transcriptParts.push(
      (await call(`${PCI}/v1/conversations/${chat.conversationId}/messages`, { headers: { ...headers, Origin: BRAND }, from: FROM.scan }))
        .text,
    );
  }
  const sinks = [
    ...dataDirSinks(),
    ...serverSinks(),
    textSink('chat transcript', transcriptParts, 'reads (visitor, agent)'),
    textSink(
      'relay traffic: event streams',
      streams.map((s) => s.raw),
      'streams (visitor, alice, bob, morgan)',
    ),
    textSink(
      'relay traffic: HTTP bodies seen by the pages',
      watched.flatMap((w) => w.traffic),
      'requests and responses',
    ),
    textSink("brand page's DOM (visitor)", brandDoms, 'snapshots, shadow roots and inputs included'),
    textSink(
      'URLs requested (both pages, all frames)',
      watched.flatMap((w) => w.urls),
      'URLs',
    ),
    textSink(
      'console messages (both pages, all frames)',
      watched.flatMap((w) => w.console),
      'messages',
    ),
    textSink('localStorage, sessionStorage, IndexedDB, cookies (both origins)', storages, 'dumps'),
  ];
  scan(table, 'Sinks', sinks);
  const unexpected = watched.flatMap((w) => w.unexpectedViolations());
  table.add(
    'CSP',
    'no violations during the canary round trips',
    'every page and frame of the four people above',
    unexpected.length ? unexpected.map((v) => v.text).join('; ') : 'none',
    unexpected.length === 0,
  );

  for (const s of streams) s.close();
  for (const w of watched) await w.close();
  table.expectAllHeld();
});
