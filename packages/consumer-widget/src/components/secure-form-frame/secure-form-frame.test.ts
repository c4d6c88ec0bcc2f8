import { submitRequestSchema } from '@secure-forms/shared/api';
import { generateInvitationKeyPair, openAnswers } from '@secure-forms/shared/envelope';
import { formDefinitionSchema } from '@secure-forms/shared/form';
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { INVITATION_ID, OPEN, SUBMIT_OTK, VIEW_OTK, VIEW_URL, json, mountFrame, viewResponse } from './secure-form-frame.fixture.js';
import './secure-form-frame.js';
import { CVV, TEST_CARDS } from '../../../../../fixtures/cards.js';
import { CARD_PAYMENT, withFields } from '../../../../../fixtures/forms.js';

const VISA = TEST_CARDS.visa;
const SUBMISSION_ID = '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e';

/** The example card form with the two fields the tests fill, card number and CVV, as the server sends it. */
const FORM = formDefinitionSchema.parse(withFields(CARD_PAYMENT, 'cardNumber', 'cvv'));

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

/** What the frame told the host, leaving out where focus moved (`focus`, posted on every move; tested on its own). */
function told(post: MockInstance<Window['postMessage']>): unknown[] {
  return post.mock.calls.filter(([message]) => (message as { type?: unknown }).type !== 'focus');
}

describe('<secure-form-frame>', () => {
  it('says ready, takes only a genuine open, loads, seals and submits, and tells the host', async () => {
    const keys = await generateInvitationKeyPair();
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
      if (url === VIEW_URL) {
        return viewResponse(keys.publicJwk, FORM);
      }
      return json(201, { submissionId: SUBMISSION_ID });
    });
    const { frame, post, hostSays } = await mountFrame();
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'ready' }, location.origin);

    const open = { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: VIEW_OTK };
    hostSays(open, 'https://evil.example');
    const stranger = document.body.appendChild(document.createElement('iframe'));
    hostSays(open, location.origin, stranger.contentWindow!);
    stranger.remove();
    expect(fetchSpy).not.toHaveBeenCalled();

    hostSays(open);
    await expect.element(page.getByLabelText('Card number')).toBeVisible();
    await expect.element(page.getByText(/You have (29|30) minutes left to send this form/)).toBeVisible();
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    expect(new Headers(fetchSpy.mock.calls[0]![1]!.headers).get('Authorization')).toBe(`OTK ${VIEW_OTK}`);

    await userEvent.fill(page.getByLabelText('Card number'), VISA.number);
    await userEvent.fill(page.getByLabelText('Security code (CVV)'), CVV);
    await userEvent.click(page.getByRole('button', { name: 'Continue' }));
    await userEvent.click(page.getByRole('button', { name: 'Send securely' }));
    await expect.element(page.getByRole('heading', { name: 'Sent securely' })).toBeVisible();

    const [url, init] = fetchSpy.mock.calls[1]!;
    expect(url).toBe('/v1/submissions');
    expect(new Headers(init!.headers).get('Authorization')).toBe(`OTK ${SUBMIT_OTK}`);
    const body = submitRequestSchema.parse(JSON.parse(init!.body as string));
    expect(body.hints).toEqual({ cardBrand: 'visa', lastFour: '1111' });
    const binding = { invitationId: INVITATION_ID, siteId: 'demo', formRef: 'card-payment@1' };
    expect(await openAnswers(body.offTheRecord!, keys.privateKey, { ...binding, part: 'off-the-record' })).toEqual({ cvv: CVV });
    expect(await openAnswers(body.onTheRecord!, keys.privateKey, { ...binding, part: 'on-the-record' })).toEqual({
      cardNumber: VISA.digits,
    });

    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'submitted', submissionId: SUBMISSION_ID }, location.origin);
    for (const [, target] of post.mock.calls) expect(target).toBe(location.origin);
    expect(JSON.stringify(post.mock.calls)).not.toMatch(/4111|737|OTK|VVVV|SSSS/);
    expect(frame.shadowRoot!.querySelector('secure-form')).toBeNull();
    // Lit's part markers (`<!--?lit$506747371$-->`) carry a random number that can hold these
    // digits; they are not content, so they are left out of the search.
    expect(frame.shadowRoot!.innerHTML.replace(/<!--\?lit\$\d+\$-->/g, '')).not.toMatch(/4111|737/);
  });

  it('keeps the filled form and offers a retry when the connection fails on submit', async () => {
    const keys = await generateInvitationKeyPair();
    let submits = 0;
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (url) => {
      if (url === VIEW_URL) {
        return viewResponse(keys.publicJwk, FORM, { msLeft: 90_000 });
      }
      if (submits++ === 0) throw new TypeError('Failed to fetch');
      return json(201, { submissionId: SUBMISSION_ID });
    });
    const { post, hostSays } = await mountFrame();
    hostSays(OPEN);
    await expect.element(page.getByText('You have 1 minute left to send this form.')).toBeVisible();
    await userEvent.fill(page.getByLabelText('Card number'), VISA.number);
    await userEvent.fill(page.getByLabelText('Security code (CVV)'), CVV);
    await userEvent.click(page.getByRole('button', { name: 'Continue' }));
    await userEvent.click(page.getByRole('button', { name: 'Send securely' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent(/connection failed\. Your answers are still here/);
    await expect.element(page.getByText(`${VISA.digits.slice(0, 6)}••••••${VISA.lastFour}`)).toBeVisible();
    await userEvent.click(page.getByRole('button', { name: 'Try again' }));
    await expect.element(page.getByRole('heading', { name: 'Sent securely' })).toBeVisible();
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'submitted', submissionId: SUBMISSION_ID }, location.origin);
  });

  it('tells the host the code when the view key is refused, and posts closed on Close', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(401, { error: { code: 'OTK_USED', message: 'used' } }));
    const { post, hostSays } = await mountFrame();
    hostSays(OPEN);
    await expect.element(page.getByRole('alert')).toHaveTextContent(/Open the form again/);
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'error', code: 'OTK_USED' }, location.origin);
    await userEvent.click(page.getByRole('button', { name: 'Close' }));
    expect(post).toHaveBeenLastCalledWith({ protocol: FRAME_PROTOCOL, type: 'closed' }, location.origin);
  });

  it('passes Escape to the host (which closes its dialog), but not while an IME composes', async () => {
    const { post } = await mountFrame();
    post.mockClear();
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', isComposing: true }));
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter' }));
    expect(post).not.toHaveBeenCalled();
    await userEvent.keyboard('{Escape}');
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'escape' }, location.origin);
  });
});

describe('<secure-form-frame> for a visitor in another language', () => {
  it("marks the form's untranslated title and description as English, and keeps a translated one unmarked", async () => {
    const keys = await generateInvitationKeyPair();
    const form = {
      ...FORM,
      title: { en: 'Card payment', translations: { ar: 'الدفع بالبطاقة' } },
      description: 'We use these details for this payment only.',
    };
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(viewResponse(keys.publicJwk, form));
    const { frame, hostSays } = await mountFrame();
    frame.locale = 'ar';
    hostSays(OPEN);
    await expect.element(page.getByRole('heading', { name: 'الدفع بالبطاقة' })).toBeVisible();
    const root = frame.shadowRoot!;
    expect(root.querySelector('[part="title"]')!.querySelector('[lang]')).toBeNull();
    expect(root.querySelector('[part="description"] [lang="en"]')!.textContent).toBe('We use these details for this payment only.');
  });
});

/** The frame with the form open, and nothing posted to the host yet. */
async function openForm() {
  const keys = await generateInvitationKeyPair();
  vi.spyOn(globalThis, 'fetch').mockResolvedValue(viewResponse(keys.publicJwk, FORM));
  const mounted = await mountFrame();
  mounted.hostSays(OPEN);
  await expect.element(page.getByLabelText('Card number')).toBeVisible();
  mounted.post.mockClear();
  return mounted;
}

describe('<secure-form-frame> telling the host where focus is', () => {
  /** The `focus` messages posted, in order. */
  const focusPosts = (post: MockInstance<Window['postMessage']>) =>
    post.mock.calls.filter(([message]) => (message as { type?: unknown }).type === 'focus');

  it("after each key, posts the focused field's top and bottom in the frame and nothing else, Tab between fields included", async () => {
    const { frame, post } = await openForm();
    const card = page.getByLabelText('Card number');
    await userEvent.click(card);
    // A pointer moves no scroll container of the host: nothing is posted.
    expect(focusPosts(post)).toEqual([]);
    await userEvent.keyboard(VISA.digits);
    await userEvent.keyboard('{Tab}');
    // The next field, in the same shadow root as the card number (where focusin would not reach the window).
    const form = frame.shadowRoot!.querySelector('secure-form')!;
    const next = form.shadowRoot!.activeElement!;
    expect(next.tagName).toBe('INPUT');
    expect(next).not.toBe(card.element());
    const { top, bottom } = next.getBoundingClientRect();
    await expect.poll(() => focusPosts(post).at(-1)).toEqual([{ protocol: FRAME_PROTOCOL, type: 'focus', top, bottom }, location.origin]);
    expect(JSON.stringify(post.mock.calls)).not.toMatch(/4111|1111|card|Card/);
  });
});

describe('<secure-form-frame> when Escape would throw answers away', () => {
  it('asks first, in the frame; "Keep filling in" (or Escape again) keeps every answer and returns to the field', async () => {
    const { frame, post } = await openForm();
    const focusedPart = () => frame.shadowRoot!.activeElement?.getAttribute('part');
    const focusedField = () => frame.shadowRoot!.querySelector('secure-form')!.shadowRoot!.activeElement?.id;
    await userEvent.fill(page.getByLabelText('Card number'), VISA.number);
    await userEvent.keyboard('{Escape}');
    const confirm = page.getByRole('alertdialog', { name: 'Close this form?' });
    await expect.element(confirm).toBeVisible();
    await expect.element(confirm).toHaveTextContent(/answers will be deleted/);
    await expect.element(confirm).toHaveTextContent(/counts as one of the times/);
    await expect.poll(focusedPart).toBe('keep-button');
    expect(told(post)).toEqual([]);

    await userEvent.click(page.getByRole('button', { name: 'Keep filling in' }));
    await expect.element(confirm).not.toBeInTheDocument();
    await expect.element(page.getByLabelText('Card number')).toHaveValue(VISA.number);
    await expect.poll(focusedField).toBe('f-cardNumber');

    await userEvent.keyboard('{Escape}');
    await expect.element(confirm).toBeVisible();
    await userEvent.keyboard('{Escape}');
    await expect.element(confirm).not.toBeInTheDocument();
    await expect.element(page.getByLabelText('Card number')).toHaveValue(VISA.number);
    expect(told(post)).toEqual([]);
  });

  it('closes and forgets the answers only when the visitor confirms', async () => {
    const { frame, post } = await openForm();
    await userEvent.fill(page.getByLabelText('Card number'), VISA.number);
    await userEvent.keyboard('{Escape}');
    await userEvent.click(page.getByRole('button', { name: 'Close and delete my answers' }));
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'closed' }, location.origin);
    expect(frame.shadowRoot!.innerHTML).not.toMatch(/4111/);
  });

  it('passes Escape straight to the host when nothing was typed', async () => {
    const { post } = await openForm();
    await userEvent.keyboard('{Escape}');
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'escape' }, location.origin);
  });
});

describe("<secure-form-frame> when the host's Close would throw answers away", () => {
  const close = { protocol: FRAME_PROTOCOL, type: 'close' };

  /** The frame with its form shown, the open taken as on the frame page (`takeOpen`, see the fixture). */
  async function openForm() {
    const keys = await generateInvitationKeyPair();
    const fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => viewResponse(keys.publicJwk, FORM));
    const { frame, post, hostSays } = await mountFrame();
    hostSays(OPEN);
    await expect.element(page.getByLabelText('Card number')).toBeVisible();
    post.mockClear();
    return { frame, post, hostSays, fetchSpy, open: OPEN };
  }

  it('asks "Close this form?" with answers typed, focuses "Keep filling in" and tells the host it is asking', async () => {
    const { frame, post, hostSays } = await openForm();
    await userEvent.fill(page.getByLabelText('Card number'), VISA.number);
    hostSays(close);
    await expect.element(page.getByRole('alertdialog', { name: 'Close this form?' })).toBeVisible();
    await expect.poll(() => frame.shadowRoot!.activeElement?.getAttribute('part')).toBe('keep-button');
    await expect.poll(() => told(post)).toEqual([[{ protocol: FRAME_PROTOCOL, type: 'confirming' }, location.origin]]);

    await userEvent.click(page.getByRole('button', { name: 'Keep filling in' }));
    await expect.element(page.getByRole('alertdialog')).not.toBeInTheDocument();
    await expect.element(page.getByLabelText('Card number')).toHaveValue(VISA.number);
    hostSays(close);
    await userEvent.click(page.getByRole('button', { name: 'Close and delete my answers' }));
    expect(post).toHaveBeenLastCalledWith({ protocol: FRAME_PROTOCOL, type: 'closed' }, location.origin);
    expect(frame.shadowRoot!.innerHTML).not.toMatch(/4111/);
  });

  it('answers escape when nothing was typed, so the host closes at once', async () => {
    const { post, hostSays } = await openForm();
    hostSays(close);
    expect(post).toHaveBeenCalledWith({ protocol: FRAME_PROTOCOL, type: 'escape' }, location.origin);
    expect(post).toHaveBeenCalledTimes(1);
    await expect.element(page.getByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('ignores close from another origin or another window, and any open after the first', async () => {
    const { post, hostSays, fetchSpy, open } = await openForm();
    await userEvent.fill(page.getByLabelText('Card number'), VISA.number);
    hostSays(close, 'https://evil.example');
    hostSays(close, `${location.origin}/`);
    const stranger = document.body.appendChild(document.createElement('iframe'));
    hostSays(close, location.origin, stranger.contentWindow!);
    stranger.remove();
    hostSays({ type: 'close' });
    hostSays(open);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(told(post)).toEqual([]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    await expect.element(page.getByRole('alertdialog')).not.toBeInTheDocument();
  });
});
