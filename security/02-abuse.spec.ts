/**
 * Never-list row 3 (docs/never-list.md): the one-time key abuse matrix, against the running server over HTTP. Every case must be
 * refused with its stable code, leave an audit line with that code, and reveal nothing: the body
 * is exactly `{ error: { code, message } }` and names no key, token or value.
 */
import { generateInvitationKeyPair, type SealedEnvelope } from '@secure-forms/shared';
import {
  agentEvents,
  assign,
  bindingOf,
  login,
  openEnvelope,
  openInvitation,
  otkHeader,
  readyToSubmit,
  retrieve,
  sealCard,
  sendInvitation,
  startConversation,
  submit,
  viewForm,
  type CardAnswers,
  type Session,
} from './api.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { FROM, OTHER_SITE, PCI } from './env.js';
import { call, codeOf, type EventStream, type HttpAnswer } from './http.js';
import { VIEW_TTL_SECONDS } from './server.js';
import { auditLines } from './audit-files.js';
import { test } from './table.js';

const from = FROM.abuse;
const CARD: CardAnswers = { cardNumber: TEST_CARDS.visa.number, billingPostcode: 'SW1A 1AA', cvv: '123' };

/** What a refusal gave away beyond `{ error: { code, message, fields? } }`. */
function revealed(answer: HttpAnswer, secrets: readonly string[]): string[] {
  const out: string[] = [];
  const json = answer.json as Record<string, unknown> | null;
  if (!json || typeof json !== 'object') return ['a body that is not a JSON refusal'];
  const extraTop = Object.keys(json).filter((k) => k !== 'error');
  if (extraTop.length) out.push(`fields ${extraTop.join(', ')}`);
  const error = (json.error ?? {}) as Record<string, unknown>;
  const extraError = Object.keys(error).filter((k) => !['code', 'message', 'fields'].includes(k));
  if (extraError.length) out.push(`error fields ${extraError.join(', ')}`);
  const everything = `${answer.text}\n${JSON.stringify(answer.headers)}`;
  for (const secret of secrets) if (secret && everything.includes(secret)) out.push(`a key or value (${secret.slice(0, 6)}…)`);
  if (answer.headers['retry-after'] !== undefined && codeOf(answer) !== 'RATE_LIMITED') out.push('Retry-After');
  return out;
}

test('OTK abuse matrix: every misuse is refused with its stable code, audited, and reveals nothing', async ({ table }) => {
  const alice = await login('alice', { from });
  const bob = await login('bob', { from });
  const olga = await login('olga', { from, site: OTHER_SITE });
  const max = await login('max', { from, totp: true });
  const morgan = await login('morgan', { from, totp: true });
  const streams: EventStream[] = [agentEvents(alice, from), agentEvents(bob, from), agentEvents(olga, from)];
  const [aliceEvents, bobEvents, olgaEvents] = streams as [EventStream, EventStream, EventStream];
  await Promise.all(streams.map((s) => s.opened));

  /** A stored submission of `agent`, with the retrieve key from the agent's own event stream. */
  async function stored(agent: Session, events: EventStream, name: string, site?: string) {
    const visitor = await startConversation(name, { from, ...(site ? { site } : {}) });
    await assign(agent, visitor.id, from);
    const sent = await sendInvitation(agent, visitor.id, { from });
    const view = await viewForm(await openInvitation(visitor, sent.invitationId, from), from);
    const answer = await submit(view.submitOtk, await sealCard(view, CARD), from);
    if (answer.status !== 201) throw new Error(`submit: ${answer.status} ${answer.text}`);
    const submissionId = (answer.json as { submissionId: string }).submissionId;
    const event = await events.waitFor<{ retrieveOtk: string }>((e) => (e as { submissionId?: string }).submissionId === submissionId);
    return { visitor, sent, view, submissionId, submitOtk: view.submitOtk, retrieveOtk: event.retrieveOtk };
  }

  async function refused(
    name: string,
    tried: string,
    expected: string,
    attempt: () => Promise<HttpAnswer>,
    secrets: readonly string[] = [],
  ): Promise<boolean> {
    const auditBefore = auditLines().length;
    const answer = await attempt();
    const code = codeOf(answer);
    const leaks = revealed(answer, secrets);
    // The audit log is written asynchronously: give the line a moment to reach the disk.
    const isAudited = () =>
      auditLines()
        .slice(auditBefore)
        .some((line) => line.includes('"outcome":"refused"') && line.includes(`"reason":"${expected}"`));
    let audited = isAudited();
    for (let i = 0; i < 20 && !audited; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      audited = isAudited();
    }
    const held = answer.status >= 400 && answer.status < 500 && code === expected && leaks.length === 0 && audited;
    const result = `${answer.status} ${code || answer.text.slice(0, 60)}${code === expected ? '' : ` (expected ${expected})`}${audited ? ', audited' : ', NOT audited'}${leaks.length ? `; REVEALED ${leaks.join(', ')}` : ''}`;
    table.add('OTK abuse', name, tried, result, held);
    return held;
  }
  const post = (path: string, headers: Record<string, string>, body?: unknown) => () =>
    call(`${PCI}/v1${path}`, { method: 'POST', headers, body, from });
  const viewWith = (otk: string) => post('/forms/view', { ...otkHeader(otk), Origin: PCI });
  const submitWith = (otk: string, body: unknown) => () => submit(otk, body, from);
  const retrieveWith = (agent: Session, sid: string, otk: string) => () => retrieve(agent, sid, otk, from);

  // ---- replay ---------------------------------------------------------------------------------
  const a1 = await stored(alice, aliceEvents, 'Abe Abuse 1');
  const sealed1 = await sealCard(a1.view, CARD);
  const viewKey = await openInvitation(a1.visitor, (await sendInvitation(alice, a1.visitor.id, { from })).invitationId, from);
  await viewForm(viewKey, from);
  await refused('replay: view key', 'redeem a view key a second time', 'OTK_USED', viewWith(viewKey), [viewKey]);
  await refused('replay: submit key', 'send the same submission again with its submit key', 'OTK_USED', submitWith(a1.submitOtk, sealed1), [
    a1.submitOtk,
  ]);
  const r1 = await retrieve(alice, a1.submissionId, a1.retrieveOtk, from);
  table.add(
    'OTK abuse',
    'control: the sender retrieves once',
    'retrieve with the key from the event stream',
    `${r1.status}`,
    r1.status === 200,
  );
  await refused(
    'replay: retrieve key',
    'retrieve again with the same key',
    'OTK_USED',
    retrieveWith(alice, a1.submissionId, a1.retrieveOtk),
    [a1.retrieveOtk],
  );

  // ---- after expiry -----------------------------------------------------------------------------
  const late = await openInvitation(a1.visitor, (await sendInvitation(alice, a1.visitor.id, { from })).invitationId, from);
  await new Promise((r) => setTimeout(r, VIEW_TTL_SECONDS * 1000 + 500));
  await refused('after expiry', `redeem a view key after its ${VIEW_TTL_SECONDS} s TTL`, 'OTK_EXPIRED', viewWith(late), [late]);

  // ---- every wrong action -----------------------------------------------------------------------
  const a2 = await stored(alice, aliceEvents, 'Abe Abuse 2');
  const pending = await readyToSubmit(alice, 'Abe Abuse 3', CARD, from);
  const freshView = async () =>
    openInvitation(pending.visitor, (await sendInvitation(alice, pending.visitor.id, { from })).invitationId, from);
  const viewKey2 = await freshView();
  await refused(
    'wrong action: view key to submit',
    'POST /submissions with a view key',
    'OTK_WRONG_ACTION',
    submitWith(viewKey2, pending.body),
    [viewKey2],
  );
  const viewKey3 = await freshView();
  await refused(
    'wrong action: view key to retrieve',
    'the sender retrieves with a view key',
    'OTK_WRONG_ACTION',
    retrieveWith(alice, a2.submissionId, viewKey3),
    [viewKey3],
  );
  const s1 = await readyToSubmit(alice, 'Abe Abuse 4', CARD, from);
  await refused('wrong action: submit key to view', 'POST /forms/view with a submit key', 'OTK_WRONG_ACTION', viewWith(s1.submitOtk), [
    s1.submitOtk,
  ]);
  await refused(
    'a key tried for the wrong action is spent',
    'then submit with that submit key',
    'OTK_USED',
    submitWith(s1.submitOtk, s1.body),
    [s1.submitOtk],
  );
  const s2 = await readyToSubmit(alice, 'Abe Abuse 5', CARD, from);
  await refused(
    'wrong action: submit key to retrieve',
    'the sender retrieves with a submit key',
    'OTK_WRONG_ACTION',
    retrieveWith(alice, a2.submissionId, s2.submitOtk),
    [s2.submitOtk],
  );
  const s3 = await readyToSubmit(alice, 'Abe Abuse 6', CARD, from);
  await refused(
    'wrong action: retrieve key to submit',
    "POST /submissions with the sender's retrieve key",
    'OTK_WRONG_ACTION',
    submitWith(a2.retrieveOtk, s3.body),
    [a2.retrieveOtk],
  );
  const a3 = await stored(alice, aliceEvents, 'Abe Abuse 7');
  await refused(
    'wrong action: retrieve key to view',
    'POST /forms/view with a retrieve key',
    'OTK_WRONG_ACTION',
    viewWith(a3.retrieveOtk),
    [a3.retrieveOtk],
  );

  // ---- wrong site ---------------------------------------------------------------------------------
  const o1 = await stored(olga, olgaEvents, 'Otto Other', OTHER_SITE);
  const a4 = await stored(alice, aliceEvents, 'Abe Abuse 8');
  await refused(
    'wrong site: retrieve key',
    `site ${OTHER_SITE}'s agent presents a site demo retrieve key for her own submission`,
    'OTK_WRONG_BINDING',
    retrieveWith(olga, o1.submissionId, a4.retrieveOtk),
    [a4.retrieveOtk],
  );
  const s4 = await readyToSubmit(alice, 'Abe Abuse 9', CARD, from);
  const otherPending = await readyToSubmit(olga, 'Otto Other 2', CARD, from, OTHER_SITE);
  await refused(
    'wrong site: submit key',
    `a site demo submit key sends answers to an invitation of site ${OTHER_SITE}`,
    'OTK_WRONG_BINDING',
    submitWith(s4.submitOtk, otherPending.body),
    [s4.submitOtk],
  );

  // ---- wrong invitation or submission -------------------------------------------------------------
  const s5 = await readyToSubmit(alice, 'Abe Abuse 10', CARD, from);
  const s6 = await readyToSubmit(alice, 'Abe Abuse 11', CARD, from);
  await refused(
    'wrong invitation: submit key',
    "invitation A's submit key with invitation B's answers",
    'OTK_WRONG_BINDING',
    submitWith(s5.submitOtk, s6.body),
    [s5.submitOtk],
  );
  const a5 = await stored(alice, aliceEvents, 'Abe Abuse 12');
  const a6 = await stored(alice, aliceEvents, 'Abe Abuse 13');
  await refused(
    'wrong submission: retrieve key',
    "the sender retrieves submission B with submission A's key",
    'OTK_WRONG_BINDING',
    retrieveWith(alice, a6.submissionId, a5.retrieveOtk),
    [a5.retrieveOtk],
  );

  // ---- wrong subject ------------------------------------------------------------------------------
  const b1 = await stored(bob, bobEvents, 'Abe Abuse 14');
  const a7 = await stored(alice, aliceEvents, 'Abe Abuse 15');
  await refused(
    'wrong subject: another agent, her key, her submission',
    "bob presents alice's retrieve key for alice's submission",
    'NOT_SENDER',
    retrieveWith(bob, a7.submissionId, a7.retrieveOtk),
    [a7.retrieveOtk],
  );
  const still = await retrieve(alice, a7.submissionId, a7.retrieveOtk, from);
  table.add(
    'OTK abuse',
    "control: that refusal did not spend alice's key",
    'alice retrieves with it',
    `${still.status}`,
    still.status === 200,
  );
  const a8 = await stored(alice, aliceEvents, 'Abe Abuse 16');
  await refused(
    'wrong subject: her key, his submission',
    "bob presents alice's retrieve key for his own submission",
    'OTK_WRONG_BINDING',
    retrieveWith(bob, b1.submissionId, a8.retrieveOtk),
    [a8.retrieveOtk],
  );
  const otherVisitor = await startConversation('Abe Abuse 17', { from });
  const a9 = await readyToSubmit(alice, 'Abe Abuse 18', CARD, from);
  const iid9 = (await sendInvitation(alice, a9.visitor.id, { from })).invitationId;
  await refused(
    'wrong subject: another visitor',
    'a visitor opens an invitation of another conversation with their own token',
    'UNAUTHENTICATED',
    post(`/invitations/${iid9}/open`, otherVisitor.headers),
    [otherVisitor.token],
  );

  // ---- forged and truncated -----------------------------------------------------------------------
  const forged = Buffer.from(Array.from({ length: 32 }, () => Math.floor(Math.random() * 256))).toString('base64url');
  await refused('forged key', 'POST /forms/view with 256 random bits', 'OTK_INVALID', viewWith(forged), [forged]);
  await refused(
    'forged scheme',
    'Authorization: Bearer <key>',
    'OTK_MISSING',
    post('/forms/view', { Authorization: `Bearer ${forged}`, Origin: PCI }),
    [forged],
  );
  const s7 = await readyToSubmit(alice, 'Abe Abuse 19', CARD, from);
  await refused(
    'truncated key',
    'a real submit key without its last character',
    'OTK_MISSING',
    submitWith(s7.submitOtk.slice(0, -1), s7.body),
    [s7.submitOtk.slice(0, -1)],
  );
  const flipped = s7.submitOtk.slice(0, -1) + (s7.submitOtk.endsWith('A') ? 'B' : 'A');
  await refused('altered key', 'a real submit key with its last character changed', 'OTK_INVALID', submitWith(flipped, s7.body), [flipped]);
  const realAfter = await submit(s7.submitOtk, s7.body, from);
  table.add(
    'OTK abuse',
    'control: the real key still works after those',
    'submit with the real key',
    `${realAfter.status}`,
    realAfter.status === 201,
  );

  // ---- a ciphertext moved from one invitation to another (authenticated data) ---------------------
  // One key pair for both invitations, so that only the binding in the authenticated data tells them apart.
  const keys = await generateInvitationKeyPair();
  const visitorA = await startConversation('Ada Moved', { from });
  await assign(alice, visitorA.id, from);
  const sentA = await sendInvitation(alice, visitorA.id, { from, keys });
  const sentB = await sendInvitation(alice, visitorA.id, { from, keys });
  const viewA = await viewForm(await openInvitation(visitorA, sentA.invitationId, from), from);
  const viewB = await viewForm(await openInvitation(visitorA, sentB.invitationId, from), from);
  const bodyA = await sealCard(viewA, { ...CARD, billingPostcode: 'MOVED 1' });
  const moved = await submit(viewB.submitOtk, { ...bodyA, invitationId: sentB.invitationId }, from);
  const movedId = (moved.json as { submissionId?: string }).submissionId ?? '';
  const movedEvent = await aliceEvents
    .waitFor<{ retrieveOtk: string }>((e) => (e as { submissionId?: string }).submissionId === movedId)
    .catch(() => null);
  let agentOutcome = 'not retrieved';
  if (movedEvent) {
    const got = await retrieve(alice, movedId, movedEvent.retrieveOtk, from);
    const envelope = (got.json as { onTheRecord?: SealedEnvelope }).onTheRecord;
    agentOutcome = envelope
      ? await openEnvelope(envelope, keys.privateKey, bindingOf(viewB, 'on-the-record')).then(
          () => 'OPENED as if it were B',
          () => 'refused to open (binding is invitation A)',
        )
      : `retrieve ${got.status}`;
  }
  table.add(
    'OTK abuse',
    'ciphertext moved: the agent opens it',
    "invitation A's sealed answers sent as invitation B's (same agent key); the panel opens them as B",
    `stored as opaque (${moved.status}); ${agentOutcome}`,
    agentOutcome.startsWith('refused'),
  );
  const managerKeys = await generateInvitationKeyPair();
  await refused(
    'ciphertext moved: the history view',
    "a manager with the permission asks to view B's answers (history key is a recipient of A's)",
    'FORBIDDEN',
    post(`/submissions/${movedId}/history-view`, morgan.headers, { publicKey: managerKeys.publicJwk }),
  );

  // ---- a second agent watching ----------------------------------------------------------------
  const a10 = await stored(alice, aliceEvents, 'Wanda Watched');
  const joined = await call(`${PCI}/v1/conversations/${a10.visitor.id}/join`, { method: 'POST', headers: bob.headers, from });
  table.add('OTK abuse', 'control: a second agent may watch', 'bob joins the conversation', `${joined.status}`, joined.status === 200);
  await refused(
    'second agent watching: new key',
    'bob asks for a retrieve key for the submission',
    'NOT_SENDER',
    post(`/submissions/${a10.submissionId}/retrieve-otk`, bob.headers),
  );
  await refused(
    "second agent watching: the sender's key",
    "bob retrieves with alice's key",
    'NOT_SENDER',
    retrieveWith(bob, a10.submissionId, a10.retrieveOtk),
    [a10.retrieveOtk],
  );
  const leakedToBob = bobEvents.raw.includes(a10.retrieveOtk) || bobEvents.raw.includes(a10.submissionId);
  table.add(
    'OTK abuse',
    'second agent watching: his event stream',
    "bob's agent event stream during the round trip",
    leakedToBob ? 'CARRIED the retrieve key or submission' : 'no retrieve key, no submission id',
    !leakedToBob,
  );

  // ---- a transferred agent --------------------------------------------------------------------
  const a11 = await stored(alice, aliceEvents, 'Trudy Transferred');
  const transfer = await call(`${PCI}/v1/conversations/${a11.visitor.id}/transfer`, {
    headers: alice.headers,
    body: { agentId: bob.operatorId },
    from,
  });
  table.add('OTK abuse', 'control: alice transfers to bob', 'POST /transfer', `${transfer.status}`, transfer.status === 200);
  await refused(
    'transferred: the sender',
    'alice retrieves with her unspent key after the transfer',
    'NOT_ASSIGNED',
    retrieveWith(alice, a11.submissionId, a11.retrieveOtk),
    [a11.retrieveOtk],
  );
  await refused(
    'transferred: the new agent',
    'bob, now assigned, asks for a retrieve key',
    'NOT_SENDER',
    post(`/submissions/${a11.submissionId}/retrieve-otk`, bob.headers),
  );

  // ---- a closed conversation ------------------------------------------------------------------
  const a12 = await stored(alice, aliceEvents, 'Cleo Closed');
  const beforeClose = await readyToSubmit(alice, 'Cleo Closed 2', CARD, from);
  const viewBeforeClose = await openInvitation(
    beforeClose.visitor,
    (await sendInvitation(alice, beforeClose.visitor.id, { from })).invitationId,
    from,
  );
  const unopened = (await sendInvitation(alice, beforeClose.visitor.id, { from })).invitationId;
  for (const conversation of [a12.visitor, beforeClose.visitor]) {
    await call(`${PCI}/v1/conversations/${conversation.id}/close`, { method: 'POST', headers: conversation.headers, from });
  }
  await refused(
    'closed conversation: retrieve',
    'the sender retrieves with an unspent key after the chat ended',
    'CONVERSATION_CLOSED',
    retrieveWith(alice, a12.submissionId, a12.retrieveOtk),
    [a12.retrieveOtk],
  );
  await refused(
    'closed conversation: submit',
    'the visitor submits with an unspent submit key after the chat ended',
    'CONVERSATION_CLOSED',
    submitWith(beforeClose.submitOtk, beforeClose.body),
    [beforeClose.submitOtk],
  );
  await refused(
    'closed conversation: view',
    'the frame redeems a view key after the chat ended',
    'CONVERSATION_CLOSED',
    viewWith(viewBeforeClose),
    [viewBeforeClose],
  );
  await refused(
    'closed conversation: open',
    'the visitor opens an invitation after the chat ended',
    'CONVERSATION_CLOSED',
    post(`/invitations/${unopened}/open`, beforeClose.visitor.headers),
  );

  // ---- a manager without permission -----------------------------------------------------------
  const a13 = await stored(alice, aliceEvents, 'Mona Managed');
  await refused('manager without permission: history list', 'max lists the responses of a conversation', 'FORBIDDEN', () =>
    call(`${PCI}/v1/conversations/${a13.visitor.id}/history`, { headers: max.headers, from }),
  );
  await refused(
    'manager without permission: history view',
    'max asks to view a response',
    'FORBIDDEN',
    post(`/submissions/${a13.submissionId}/history-view`, max.headers, { publicKey: managerKeys.publicJwk }),
  );
  await refused(
    'manager without permission: retrieve',
    "max retrieves with alice's key",
    'NOT_SENDER',
    retrieveWith(max, a13.submissionId, a13.retrieveOtk),
    [a13.retrieveOtk],
  );

  for (const s of streams) s.close();
  table.expectAllHeld();
});
