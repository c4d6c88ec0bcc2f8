/** The secure form steps, at the HTTP level, for tests beyond the round trip. */
import {
  generateInvitationKeyPair,
  invitationViewSchema,
  openFormResponseSchema,
  openInvitationResponseSchema,
  sealAnswers,
  submitResponseSchema,
  viewFormResponseSchema,
  type EnvelopeBinding,
} from '@secure-forms/shared';
import { expect } from 'vitest';
import { CVV, TEST_CARDS } from '../../../../fixtures/cards.js';
import { readEvent, type harness } from './harness.js';

export type H = Awaited<ReturnType<typeof harness>>;
/**
 * What the steps below use of a harness: the app in memory, or the same calls over HTTP to running
 * servers (scripts/cluster/client.ts), so that the cluster tests take the same steps.
 */
export type Client = Pick<H, 'request' | 'session' | 'startConversation' | 'otk'>;
export const CARD = TEST_CARDS.visa.number;
export const POSTCODE = 'SW1A 1AA';
export { CVV };

/**
 * `dump` without the random strings nobody typed (ids, tokens, ciphertext, timestamps), so a short
 * test value such as a CVV cannot turn up inside one of them by chance and fail a never-a-value
 * check. Runs of digits alone are kept: that is what a leaked card number or CVV looks like.
 */
export function typedText(dump: string): string {
  return dump
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/[A-Za-z0-9_-]*[A-Za-z_-][A-Za-z0-9_-]*/g, (run) => (run.length >= 16 ? '<random>' : run))
    .replace(/\b1\d{12}\b/g, '<epoch-ms>');
}

export async function code(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

/** Alice takes a conversation and asks to send the card form: the answer, whatever it is. */
export async function sendCardForm(h: Client, agent = 'alice') {
  const alice = await h.session(agent);
  const visitor = await h.startConversation();
  expect((await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers })).status).toBe(200);
  const keys = await generateInvitationKeyPair();
  const res = await h.request(`/v1/conversations/${visitor.id}/invitations`, {
    headers: alice.headers,
    body: { formId: 'card-payment', publicKey: keys.publicJwk },
  });
  return { alice, visitor, keys, res };
}

/** Alice takes a conversation and sends the card form. */
export async function sent(h: Client, agent = 'alice') {
  const { alice, visitor, keys, res } = await sendCardForm(h, agent);
  expect(res.status).toBe(201);
  return { alice, visitor, keys, invitation: invitationViewSchema.parse(await res.json()) };
}

export async function openForm(h: Client, visitor: { headers: Record<string, string> }, invitationId: string) {
  const res = await h.request(`/v1/invitations/${invitationId}/open`, { method: 'POST', headers: visitor.headers });
  expect(res.status).toBe(200);
  return openInvitationResponseSchema.parse(await res.json());
}

export async function viewForm(h: Client, viewOtk: string) {
  const res = await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(viewOtk) });
  expect(res.status).toBe(200);
  return viewFormResponseSchema.parse(await res.json());
}

/**
 * `POST /v1/invitations/:iid/view`, the frame's one request on open: the open counted, and the form
 * with its keys and a submit key (what {@link openForm} then {@link viewForm} give), with the opens left.
 */
export async function openAndView(h: Client, visitor: { headers: Record<string, string> }, invitationId: string) {
  const res = await h.request(`/v1/invitations/${invitationId}/view`, { method: 'POST', headers: visitor.headers });
  expect(res.status).toBe(200);
  return openFormResponseSchema.parse(await res.json());
}

export async function seal(view: Awaited<ReturnType<typeof viewForm>>) {
  const binding = (part: EnvelopeBinding['part']): EnvelopeBinding => ({
    invitationId: view.invitationId,
    siteId: view.siteId,
    formRef: `${view.form.id}@${view.form.version}`,
    part,
  });
  return {
    binding,
    body: {
      invitationId: view.invitationId,
      onTheRecord: await sealAnswers({ cardNumber: CARD, billingPostcode: POSTCODE }, view.recordKeys, binding('on-the-record')),
      offTheRecord: await sealAnswers({ cvv: CVV }, [view.offTheRecordKey], binding('off-the-record')),
      fieldIds: { onTheRecord: ['cardNumber', 'billingPostcode'], offTheRecord: ['cvv'] },
      hints: { cardBrand: 'visa' as const, lastFour: '1111' },
    },
  };
}

/** Everything up to a stored submission, with the retrieve OTK from the agent's event stream. */
export async function submitted(h: Client, agent = 'alice') {
  const s = await sent(h, agent);
  const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
  expect(events.status).toBe(200);
  const opened = await openForm(h, s.visitor, s.invitation.id);
  const view = await viewForm(h, opened.viewOtk);
  const { body, binding } = await seal(view);
  const submitOtk = view.submitOtk;
  const res = await h.request('/v1/submissions', { headers: h.otk(submitOtk), body });
  expect(res.status).toBe(201);
  const { submissionId } = submitResponseSchema.parse(await res.json());
  const event = await readEvent(events, (e) =>
    (e as { type?: string }).type === 'submission' ? (e as { retrieveOtk: string; submissionId: string }) : undefined,
  );
  expect(event.submissionId).toBe(submissionId);
  return { ...s, opened, view, body, binding, submitOtk, submissionId, retrieveOtk: event.retrieveOtk };
}

export function retrieve(h: Client, submissionId: string, otk: string, headers: Record<string, string>) {
  return h.request(`/v1/submissions/${submissionId}/retrieve`, { method: 'POST', headers: { ...h.otk(otk), ...headers } });
}
