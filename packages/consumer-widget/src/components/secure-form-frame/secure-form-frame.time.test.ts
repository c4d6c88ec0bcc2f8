import { generateInvitationKeyPair } from '@secure-forms/shared/envelope';
import { formDefinitionSchema } from '@secure-forms/shared/form';
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { OPEN, SUBMIT_OTK, json, mountFrame, viewResponse } from './secure-form-frame.fixture.js';
import './secure-form-frame.js';
import { TEST_CARDS } from '../../../../../fixtures/cards.js';
import { CARD_PAYMENT, withFields } from '../../../../../fixtures/forms.js';

const FRESH_OTK = 'F'.repeat(43);
/** The example card form with two required fields, card number and billing postcode, as the server sends it. */
const FORM = formDefinitionSchema.parse(withFields(CARD_PAYMENT, 'cardNumber', 'billingPostcode'));

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

async function openWithDeadline(secondsLeft: number, extensionsLeft: number) {
  const keys = await generateInvitationKeyPair();
  const fetchSpy = vi
    .spyOn(globalThis, 'fetch')
    .mockResolvedValueOnce(viewResponse(keys.publicJwk, FORM, { msLeft: secondsLeft * 1000, extensionsLeft }));
  const { frame, post, hostSays } = await mountFrame();
  hostSays(OPEN);
  await expect.element(page.getByRole('heading', { name: CARD_PAYMENT.title.en })).toBeVisible();
  return { frame, post, fetchSpy };
}

describe('<secure-form-frame> time limits (WCAG 2.2.1)', () => {
  it('warns at least 20 s before the deadline and extends with the current submit key', async () => {
    const { fetchSpy } = await openWithDeadline(45, 2);
    await userEvent.fill(page.getByLabelText('Card number'), TEST_CARDS.visa.digits);
    const warning = page.getByRole('alert').filter({ hasText: /left to send this form/ });
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
    await expect.element(page.getByLabelText('Card number')).toHaveValue(TEST_CARDS.visa.number);
  });

  it('moves focus to the first unfinished field once more time is added, not to the page', async () => {
    const { fetchSpy } = await openWithDeadline(45, 2);
    await userEvent.fill(page.getByLabelText('Card number'), TEST_CARDS.visa.digits);
    fetchSpy.mockResolvedValueOnce(
      json(200, { submitOtk: FRESH_OTK, submitDeadline: new Date(Date.now() + 30 * 60_000).toISOString(), extensionsLeft: 1 }),
    );
    await userEvent.click(page.getByRole('button', { name: 'Give me more time' }));
    await expect.element(page.getByRole('button', { name: 'Give me more time' })).not.toBeInTheDocument();
    // jest-dom's toHaveFocus stops at the shadow host: read the form's own active element.
    const form = document.querySelector('secure-form-frame')!.shadowRoot!.querySelector('secure-form')!;
    await expect.poll(() => form.shadowRoot!.activeElement?.id).toBe('f-billingPostcode');
  });

  it('announces the warning at its start and again at 30 seconds, never the ticking seconds', async () => {
    await openWithDeadline(33, 1);
    const frame = document.querySelector('secure-form-frame')!;
    const alert = () => frame.shadowRoot!.querySelector('[role="alert"][part~="time-alert"]')!;
    await expect.poll(() => alert().textContent).toContain('less than a minute left');
    const spoken: string[] = [alert().textContent.trim()];
    const shown: string[] = [];
    const observer = new MutationObserver(() => {
      const text = alert().textContent.trim();
      if (text !== spoken.at(-1)) spoken.push(text);
      const countdown = frame.shadowRoot!.querySelector('[part~="time-warning"] strong')?.textContent ?? '';
      if (countdown !== shown.at(-1)) shown.push(countdown);
    });
    observer.observe(frame.shadowRoot!, { subtree: true, childList: true, characterData: true });
    // 4.5 s: the seconds shown tick four times or more, and the deadline passes 30 s left once.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    observer.disconnect();
    expect(shown.length).toBeGreaterThanOrEqual(4);
    expect(spoken).toEqual([
      'You have less than a minute left to send this form. Do you need more time? Your answers stay as they are.',
      'You have less than 30 seconds left to send this form. Do you need more time? Your answers stay as they are.',
    ]);
  });

  it('announces again at 10 seconds left', async () => {
    await openWithDeadline(12, 1);
    const alert = () => document.querySelector('secure-form-frame')!.shadowRoot!.querySelector('[role="alert"][part~="time-alert"]')!;
    await expect.poll(() => alert().textContent).toContain('less than 30 seconds left');
    await expect.poll(() => alert().textContent, { timeout: 5000 }).toContain('less than 10 seconds left');
  });

  it('says no more time can be added when no extensions are left', async () => {
    await openWithDeadline(30, 0);
    await expect.element(page.getByText('Send the form now: no more time can be added.', { exact: true })).toBeVisible();
    await expect.element(page.getByRole('alert').filter({ hasText: 'no more time can be added' })).toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'Give me more time' })).not.toBeInTheDocument();
  });

  it('tells the host OTK_EXPIRED and forgets the form when time runs out', async () => {
    const { post } = await openWithDeadline(1.5, 0);
    await expect.poll(() => post.mock.calls.some(([m]) => (m as { type: string }).type === 'error'), { timeout: 5000 }).toBe(true);
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'error', code: 'OTK_EXPIRED' }, location.origin);
    expect(document.querySelector('secure-form-frame')!.shadowRoot!.querySelector('input')).toBeNull();
  });
});
