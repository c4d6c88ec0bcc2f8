import { generateInvitationKeyPair } from '@secure-forms/shared/envelope';
import { formDefinitionSchema } from '@secure-forms/shared/form';
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { INVITATION_ID, OPEN, json, mountFrame, viewResponse } from './secure-form-frame.fixture.js';
import './secure-form-frame.js';
import { CVV, TEST_CARDS } from '../../../../../fixtures/cards.js';
import { CARD_PAYMENT, withFields } from '../../../../../fixtures/forms.js';

/**
 * What the frame does with each way its three requests (view, extend, submit) can fail: the
 * connection, a refusal (known code, unknown code, not JSON), and a success body that is not what
 * the API answers. Every failure ends in a stable code: either a problem the visitor can retry
 * here, or the form ends and the host is told the code.
 */

/** The example card form with the two fields these tests fill, card number and CVV. */
const FORM = formDefinitionSchema.parse(withFields(CARD_PAYMENT, 'cardNumber', 'cvv'));

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

/** A response whose body fails while it is read: the connection dropped after the status arrived. */
function cutOff(status: number): Response {
  const body = new ReadableStream({ start: (controller) => controller.error(new TypeError('network error')) });
  return new Response(body, { status, headers: { 'Content-Type': 'application/json' } });
}

type Answer = () => Response | Promise<Response>;
const offline: Answer = () => Promise.reject(new TypeError('Failed to fetch'));

/** The messages of `type` the frame posted to the host (its size and focus moves are left out). */
function told(post: MockInstance<Window['postMessage']>, type: 'error' | 'submitted'): unknown[] {
  return post.mock.calls.map(([message]) => message as { type?: unknown }).filter((message) => message.type === type);
}

/** The frame with the host's open taken; `answers` answer the requests in order (the view first). */
async function open(answers: Answer[], { secondsLeft = 30 * 60, extensionsLeft = 10 } = {}) {
  const keys = await generateInvitationKeyPair();
  const queue = [...answers];
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
    const next = queue.shift();
    return next ? next() : viewResponse(keys.publicJwk, FORM, { msLeft: secondsLeft * 1000, extensionsLeft });
  });
  const { frame, post, hostSays } = await mountFrame();
  hostSays(OPEN);
  return { frame, post, fetchSpy, keys };
}

const error = (code: string) => ({ protocol: FRAME_PROTOCOL, type: 'error', code });

describe('<secure-form-frame> when the view request fails', () => {
  it.each<[string, Answer]>([
    ['the connection fails', offline],
    ['the connection drops while the answer is read', () => cutOff(200)],
    ['the connection drops while a refusal is read', () => cutOff(503)],
  ])('offers "Try again" and tells the host nothing when %s, and loads on retry', async (_, failure) => {
    const { post } = await open([failure]);
    await expect.element(page.getByRole('alert')).toHaveTextContent('The secure form could not load because the connection failed.');
    expect(told(post, 'error')).toEqual([]);
    await userEvent.click(page.getByRole('button', { name: 'Try again' }));
    await expect.element(page.getByLabelText('Card number')).toBeVisible();
  });

  it('offers "Try again" when the backend limits the rate', async () => {
    await open([() => json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } })]);
    await expect.element(page.getByRole('alert')).toHaveTextContent('could not load because the connection failed');
    await expect.element(page.getByRole('button', { name: 'Try again' })).toBeVisible();
  });

  it.each<[string, string, Answer]>([
    ['a known refusal', 'INVITATION_EXPIRED', () => json(410, { error: { code: 'INVITATION_EXPIRED', message: 'expired' } })],
    ['a refusal with an unknown code', 'INTERNAL', () => json(400, { error: { code: 'NOT_A_CODE', message: 'x' } })],
    ['a refusal that is not JSON', 'INTERNAL', () => new Response('<html>Bad gateway</html>', { status: 502 })],
    ['a success that is not JSON', 'INTERNAL', () => new Response('<html>', { status: 200 })],
    ['a success without a body', 'INTERNAL', () => new Response(null, { status: 204 })],
    ['a success that is a JSON array', 'INTERNAL', () => json(200, [])],
    ['the form of another invitation', 'INTERNAL', () => json(200, { invitationId: 'other', siteId: 'demo', submitOtk: 'S' })],
    ['the form of another site', 'INTERNAL', () => json(200, { invitationId: INVITATION_ID, siteId: 'other', submitOtk: 'S' })],
    ['a form without its submit key', 'INTERNAL', () => json(200, { invitationId: INVITATION_ID, siteId: 'demo' })],
  ])('ends the form and tells the host %s (%s)', async (_, code, answer) => {
    const { post } = await open([answer]);
    await expect.element(page.getByRole('alert')).toBeVisible();
    expect(told(post, 'error')).toEqual([error(code)]);
    await expect.element(page.getByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'Close' })).toBeVisible();
  });
});

describe('<secure-form-frame> when "Give me more time" fails', () => {
  /** The form open with 45 s left, then "Give me more time" answered by `answer`. */
  async function extend(answer: Answer) {
    const opened = await open([], { secondsLeft: 45, extensionsLeft: 2 });
    await userEvent.fill(page.getByLabelText('Card number'), TEST_CARDS.visa.number);
    opened.fetchSpy.mockImplementationOnce(async () => answer());
    await userEvent.click(page.getByRole('button', { name: 'Give me more time' }));
    return opened;
  }

  it.each<[string, Answer, string]>([
    ['the connection fails', offline, 'More time could not be added because the connection failed.'],
    ['the connection drops while the answer is read', () => cutOff(200), 'More time could not be added because the connection failed.'],
    ['the backend limits the rate', () => json(429, { error: { code: 'RATE_LIMITED', message: 'x' } }), 'too many attempts'],
    ['the backend is busy', () => json(503, { error: { code: 'SERVICE_BUSY', message: 'x' } }), 'Something went wrong on our side'],
    ['the refusal is not JSON', () => new Response('<html>', { status: 500 }), 'Something went wrong on our side'],
  ])('keeps the form and its answers and says why when %s', async (_, answer, text) => {
    const { post } = await extend(answer);
    await expect.element(page.getByRole('alert').filter({ hasText: text })).toBeVisible();
    await expect.element(page.getByLabelText('Card number')).toHaveValue(TEST_CARDS.visa.number);
    expect(told(post, 'error')).toEqual([]);
  });

  it.each<[string, string, Answer]>([
    ['a refusal of the submit key', 'OTK_USED', () => json(401, { error: { code: 'OTK_USED', message: 'used' } })],
    ['a success without the new key', 'INTERNAL', () => json(200, { submitDeadline: new Date().toISOString(), extensionsLeft: 1 })],
    ['a success without the new deadline', 'INTERNAL', () => json(200, { submitOtk: 'F'.repeat(43), extensionsLeft: 1 })],
    ['a success that is not JSON', 'INTERNAL', () => new Response('', { status: 200 })],
  ])('ends the form, forgets the answers and tells the host on %s (%s)', async (_, code, answer) => {
    const { post, frame } = await extend(answer);
    await expect.poll(() => told(post, 'error')).toEqual([error(code)]);
    expect(frame.shadowRoot!.querySelector('input')).toBeNull();
  });
});

describe('<secure-form-frame> when sending fails', () => {
  /** The form open and filled, then "Send securely" answered by `answer`. */
  async function send(answer: Answer) {
    const opened = await open([]);
    await expect.element(page.getByLabelText('Card number')).toBeVisible();
    await userEvent.fill(page.getByLabelText('Card number'), TEST_CARDS.visa.number);
    await userEvent.fill(page.getByLabelText('Security code (CVV)'), CVV);
    await userEvent.click(page.getByRole('button', { name: 'Continue' }));
    opened.fetchSpy.mockImplementationOnce(async () => answer());
    await userEvent.click(page.getByRole('button', { name: 'Send securely' }));
    return opened;
  }

  it.each<[string, Answer, string]>([
    ['the connection drops while the answer is read', () => cutOff(201), 'Your answers were not sent because the connection failed.'],
    ['the backend limits the rate', () => json(429, { error: { code: 'RATE_LIMITED', message: 'x' } }), 'too many attempts'],
    ['the backend is busy', () => json(503, { error: { code: 'SERVICE_BUSY', message: 'x' } }), 'Something went wrong on our side'],
    ['the refusal has an unknown code', () => json(500, { error: { code: 'NOT_A_CODE' } }), 'Something went wrong on our side'],
  ])('keeps the answers and offers "Try again" when %s', async (_, answer, text) => {
    const { post } = await send(answer);
    await expect.element(page.getByRole('alert').filter({ hasText: text })).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect.element(page.getByText(`${TEST_CARDS.visa.digits.slice(0, 6)}••••••${TEST_CARDS.visa.lastFour}`)).toBeVisible();
    expect(told(post, 'error')).toEqual([]);
  });

  it.each<[string, string, Answer]>([
    ['a refusal that it was sent already', 'ALREADY_SUBMITTED', () => json(409, { error: { code: 'ALREADY_SUBMITTED', message: 'x' } })],
    ['a refusal of the submit key', 'OTK_EXPIRED', () => json(401, { error: { code: 'OTK_EXPIRED', message: 'x' } })],
    ['a success without its submission id', 'INTERNAL', () => json(201, { id: 'x' })],
    ['a success that is not JSON', 'INTERNAL', () => new Response('created', { status: 201 })],
  ])('ends the form, forgets the answers and tells the host on %s (%s)', async (_, code, answer) => {
    const { post, frame } = await send(answer);
    await expect.poll(() => told(post, 'error')).toEqual([error(code)]);
    expect(told(post, 'submitted')).toEqual([]);
    expect(frame.shadowRoot!.querySelector('secure-form')).toBeNull();
    expect(frame.shadowRoot!.innerHTML).not.toMatch(/4111/);
  });
});
