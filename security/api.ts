/**
 * The round trip's HTTP steps, as the browser makes them (same endpoints, same headers, same
 * Origin), for the abuse matrix, the load and the faults. Sealing and opening use the shared
 * envelope code the frame and the panel use.
 */
import {
  generateInvitationKeyPair,
  openAnswers,
  sealAnswers,
  type Answers,
  type EnvelopeBinding,
  type PublicJwk,
  type SealedEnvelope,
  type ViewFormResponse,
} from '@secure-forms/shared';
import { totpAt } from '../fixtures/totp.js';
import { BRAND, PASSWORD, PCI, SITE, TOTP_SECRET } from './env.js';
import { call, codeOf, EventStream, type HttpAnswer } from './http.js';
import { readState, writeState } from './state.js';

export class Refused extends Error {
  constructor(
    readonly step: string,
    readonly answer: HttpAnswer,
  ) {
    super(`${step}: HTTP ${answer.status} ${codeOf(answer) || answer.text.slice(0, 120)}`);
  }
}

function ok(step: string, answer: HttpAnswer, status = 200): HttpAnswer {
  if (answer.status !== status) throw new Refused(step, answer);
  return answer;
}

/** As the brand page calls the API (CORS origin), and as the frame does (its own origin). */
export const FROM_BRAND = { Origin: BRAND };
export const FROM_FRAME = { Origin: PCI };
export const otkHeader = (otk: string) => ({ Authorization: `OTK ${otk}` });

// ---- TOTP, for managers and the admin (codes from fixtures/totp.ts) ------------------------------

/**
 * A TOTP code this operator has not used yet in this run: a code is accepted once, so a second
 * sign-in within the same 30 s step waits for the next one. The steps used are kept in the run's
 * state file, so a worker that restarts after a failure does not reuse one (a refused code counts
 * as a failed sign-in towards the lockout).
 */
export async function freshTotp(username: string): Promise<string> {
  for (;;) {
    const used = (readState().totpSteps ?? {}) as Record<string, number>;
    const step = Math.floor(Date.now() / 30_000);
    if ((used[username] ?? -1) < step && Date.now() % 30_000 < 28_000) {
      writeState({ totpSteps: { ...used, [username]: step } });
      return totpAt(TOTP_SECRET, Date.now());
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

// ---- operators ----------------------------------------------------------------------------------

export interface Session {
  token: string;
  operatorId: string;
  headers: Record<string, string>;
}

export async function login(
  username: string,
  options: { from?: string; site?: string; password?: string; totp?: boolean } = {},
): Promise<Session> {
  const body: Record<string, string> = { siteId: options.site ?? SITE, username, password: options.password ?? PASSWORD };
  if (options.totp) body.totp = await freshTotp(username);
  const answer = ok(`login ${username}`, await call(`${PCI}/v1/sessions`, { body, headers: FROM_BRAND, from: options.from }), 201);
  const json = answer.json as { token: string; operator: { id: string } };
  return { token: json.token, operatorId: json.operator.id, headers: { 'Secure-Forms-Session': json.token, ...FROM_BRAND } };
}

export function agentEvents(session: Session, from?: string): EventStream {
  return new EventStream(`${PCI}/v1/agent/events`, session.headers, from);
}

// ---- conversations and invitations --------------------------------------------------------------

export interface Visitor {
  id: string;
  token: string;
  headers: Record<string, string>;
}

export async function startConversation(visitorName: string, options: { from?: string; site?: string } = {}): Promise<Visitor> {
  const answer = ok(
    'start conversation',
    await call(`${PCI}/v1/conversations`, { body: { siteId: options.site ?? SITE, visitorName }, headers: FROM_BRAND, from: options.from }),
    201,
  );
  const json = answer.json as { conversationId: string; conversationToken: string };
  return {
    id: json.conversationId,
    token: json.conversationToken,
    headers: { 'Secure-Forms-Conversation': json.conversationToken, ...FROM_BRAND },
  };
}

export async function assign(session: Session, conversationId: string, from?: string): Promise<void> {
  ok('assign', await call(`${PCI}/v1/conversations/${conversationId}/assign`, { method: 'POST', headers: session.headers, from }));
}

export interface Sent {
  invitationId: string;
  privateKey: CryptoKey;
  publicJwk: PublicJwk;
}

/** The agent's panel: a fresh key pair, and the invitation sealed to its public half. */
export async function sendInvitation(
  session: Session,
  conversationId: string,
  options: { formId?: string; from?: string; keys?: Awaited<ReturnType<typeof generateInvitationKeyPair>> } = {},
): Promise<Sent> {
  const keys = options.keys ?? (await generateInvitationKeyPair());
  const answer = ok(
    'send invitation',
    await call(`${PCI}/v1/conversations/${conversationId}/invitations`, {
      headers: session.headers,
      body: { formId: options.formId ?? 'card-payment', publicKey: keys.publicJwk },
      from: options.from,
    }),
    201,
  );
  return { invitationId: (answer.json as { id: string }).id, privateKey: keys.privateKey, publicJwk: keys.publicJwk };
}

export async function openInvitation(visitor: Visitor, invitationId: string, from?: string): Promise<string> {
  const answer = ok('open', await call(`${PCI}/v1/invitations/${invitationId}/open`, { method: 'POST', headers: visitor.headers, from }));
  return (answer.json as { viewOtk: string }).viewOtk;
}

export async function viewForm(viewOtk: string, from?: string): Promise<ViewFormResponse> {
  const answer = ok(
    'view',
    await call(`${PCI}/v1/forms/view`, { method: 'POST', headers: { ...otkHeader(viewOtk), ...FROM_FRAME }, from }),
  );
  return answer.json as ViewFormResponse;
}

export function bindingOf(
  view: Pick<ViewFormResponse, 'invitationId' | 'siteId' | 'form'>,
  part: EnvelopeBinding['part'],
): EnvelopeBinding {
  return { invitationId: view.invitationId, siteId: view.siteId, formRef: `${view.form.id}@${view.form.version}`, part };
}

export interface CardAnswers {
  cardNumber: string;
  billingPostcode: string;
  cvv: string;
}

/** The frame's submission body for the card form, sealed as the frame seals it. */
export async function sealCard(view: ViewFormResponse, answers: CardAnswers) {
  return {
    invitationId: view.invitationId,
    onTheRecord: await sealAnswers(
      { cardNumber: answers.cardNumber, billingPostcode: answers.billingPostcode },
      view.recordKeys,
      bindingOf(view, 'on-the-record'),
    ),
    offTheRecord: await sealAnswers({ cvv: answers.cvv }, [view.offTheRecordKey], bindingOf(view, 'off-the-record')),
    fieldIds: { onTheRecord: ['cardNumber', 'billingPostcode'], offTheRecord: ['cvv'] },
    hints: { cardBrand: 'visa' as const, lastFour: answers.cardNumber.replace(/\D/g, '').slice(-4) },
  };
}

export type SubmitBody = Awaited<ReturnType<typeof sealCard>>;

export function submit(submitOtk: string, body: unknown, from?: string): Promise<HttpAnswer> {
  return call(`${PCI}/v1/submissions`, { headers: { ...otkHeader(submitOtk), ...FROM_FRAME }, body, from });
}

export function retrieve(session: Session, submissionId: string, retrieveOtk: string, from?: string): Promise<HttpAnswer> {
  return call(`${PCI}/v1/submissions/${submissionId}/retrieve`, {
    method: 'POST',
    headers: { ...session.headers, ...otkHeader(retrieveOtk) },
    from,
  });
}

export async function freshRetrieveOtk(session: Session, submissionId: string, from?: string): Promise<string> {
  const answer = ok(
    'retrieve-otk',
    await call(`${PCI}/v1/submissions/${submissionId}/retrieve-otk`, { method: 'POST', headers: session.headers, from }),
  );
  return (answer.json as { retrieveOtk: string }).retrieveOtk;
}

/** Open a retrieved envelope with the invitation's private key, checking its binding. */
export function openEnvelope(envelope: SealedEnvelope, privateKey: CryptoKey, binding: EnvelopeBinding): Promise<Answers> {
  return openAnswers(envelope, privateKey, binding);
}

/** Everything up to a submit OTK and a sealed body, for one card form. */
export async function readyToSubmit(session: Session, visitorName: string, answers: CardAnswers, from?: string, site?: string) {
  const visitor = await startConversation(visitorName, { from, ...(site ? { site } : {}) });
  await assign(session, visitor.id, from);
  const sent = await sendInvitation(session, visitor.id, { from });
  const viewOtk = await openInvitation(visitor, sent.invitationId, from);
  const view = await viewForm(viewOtk, from);
  const body = await sealCard(view, answers);
  return { visitor, sent, view, body, submitOtk: view.submitOtk };
}
