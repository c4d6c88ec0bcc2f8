import { generateInvitationKeyPair } from '@secure-forms/shared/envelope';
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import './secure-form-frame.js';

const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const VIEW_OTK = 'V'.repeat(43);
const SUBMIT_OTK = 'S'.repeat(43);
const FRESH_OTK = 'F'.repeat(43);
const FORM = {
  id: 'card-payment',
  version: 1,
  title: 'Card payment',
  fields: [{ id: 'cardNumber', type: 'card-number', label: 'Card number' }],
};

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

async function openWithDeadline(secondsLeft: number, extensionsLeft: number) {
  const post = vi.spyOn(window.parent, 'postMessage').mockImplementation(() => undefined);
  const keys = await generateInvitationKeyPair();
  const fetchSpy = vi.spyOn(globalThis, 'fetch').mockResolvedValueOnce(
    json(200, {
      invitationId: INVITATION_ID,
      siteId: 'demo',
      form: FORM,
      recordKeys: [keys.publicJwk],
      offTheRecordKey: keys.publicJwk,
      submitOtk: SUBMIT_OTK,
      submitDeadline: new Date(Date.now() + secondsLeft * 1000).toISOString(),
      extensionsLeft,
    }),
  );
  const frame = document.createElement('secure-form-frame');
  frame.hostOrigin = location.origin;
  frame.siteId = 'demo';
  document.body.append(frame);
  await frame.updateComplete;
  window.dispatchEvent(
    new MessageEvent('message', {
      data: { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: VIEW_OTK },
      origin: location.origin,
      source: window.parent,
    }),
  );
  await expect.element(page.getByRole('heading', { name: 'Card payment' })).toBeVisible();
  return { frame, post, fetchSpy };
}

describe('<secure-form-frame> time limits (WCAG 2.2.1)', () => {
  it('warns at least 20 s before the deadline and extends with the current submit key', async () => {
    const { fetchSpy } = await openWithDeadline(45, 2);
    await userEvent.fill(page.getByLabelText('Card number'), '4111111111111111');
    const warning = page.getByRole('alert').filter({ hasText: /seconds left to send this form/ });
    await expect.element(warning).toBeVisible();
    fetchSpy.mockResolvedValueOnce(
      json(200, { submitOtk: FRESH_OTK, submitDeadline: new Date(Date.now() + 30 * 60_000).toISOString(), extensionsLeft: 1 }),
    );
    await userEvent.click(page.getByRole('button', { name: 'Give me more time' }));
    await expect
      .element(page.getByRole('status').filter({ hasText: /More time added\. You have (29|30) minutes left/ }))
      .toBeInTheDocument();
    const [url, init] = fetchSpy.mock.calls[1]!;
    expect(url).toBe('/v1/submissions/extend');
    expect(new Headers(init?.headers).get('Authorization')).toBe(`OTK ${SUBMIT_OTK}`);
    await expect.element(page.getByRole('button', { name: 'Give me more time' })).not.toBeInTheDocument();
    // The typed value stayed.
    await expect.element(page.getByLabelText('Card number')).toHaveValue('4111 1111 1111 1111');
  });

  it('says no more time can be added when no extensions are left', async () => {
    await openWithDeadline(30, 0);
    await expect.element(page.getByText('Send the form now: no more time can be added.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Give me more time' })).not.toBeInTheDocument();
  });

  it('tells the host OTK_EXPIRED and forgets the form when time runs out', async () => {
    const { post } = await openWithDeadline(1.5, 0);
    await expect.poll(() => post.mock.calls.some(([m]) => (m as { type: string }).type === 'error'), { timeout: 5000 }).toBe(true);
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'error', code: 'OTK_EXPIRED' }, location.origin);
    expect(document.querySelector('secure-form-frame')!.shadowRoot!.querySelector('input')).toBeNull();
  });
});
