import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { SecureFormInvite } from './secure-form-invite.component.js';
import { focusedText, INVITATION_ID, json, mount, TOKEN, VIEW_OTK } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form-invite>', () => {
  it('renders the title, the state and the open button, and never the token', async () => {
    const el = await mount();
    await expect.element(page.getByText('Card payment')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
    expect(el.outerHTML + el.shadowRoot!.innerHTML).not.toContain(TOKEN);
    expect(el.hasAttribute('conversationtoken')).toBe(false);
  });

  it('shows "Sent securely" and no button when the chat says submitted', async () => {
    const el = await mount();
    el.state = 'submitted';
    await expect.element(page.getByText('Sent securely')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
  });

  it('opens with the conversation token as its text/plain body only, a request that needs no CORS preflight', async () => {
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockResolvedValue(json(409, { error: { code: 'OPEN_LIMIT_REACHED', message: 'limit' } }));
    await mount('https://pci.example/');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent(/opened the maximum number of times/);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(`https://pci.example/v1/invitations/${INVITATION_ID}/open`);
    expect(init?.method).toBe('POST');
    expect(init?.body).toBe(TOKEN);
    // Only CORS-safelisted headers: a custom header or a JSON content type would be preflighted.
    const headers = [...new Headers(init?.headers)];
    expect(headers).toEqual([['content-type', 'text/plain;charset=UTF-8']]);
    expect(url as string).not.toContain(TOKEN);
  });

  it.each([
    ['OPEN_LIMIT_REACHED', 409, /Ask your agent in the chat to send you a new one/],
    ['ALREADY_SUBMITTED', 409, /already sent this form/],
    ['INVITATION_EXPIRED', 410, /This form has expired\. Ask your agent/],
    ['CONVERSATION_CLOSED', 409, /chat has ended.*Start a new chat/],
  ])('explains the refusal %s with a next step', async (code, status, text) => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(status, { error: { code, message: 'refused' } }));
    await mount();
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent(text);
    expect(document.querySelector('secure-form-invite')!.shadowRoot!.querySelector('iframe')).toBeNull();
  });

  it('says whether its form is open: from "Open secure form" until it is refused, and again once it opens', async () => {
    let answer!: (response: Response) => void;
    vi.spyOn(globalThis, 'fetch')
      .mockReturnValueOnce(new Promise<Response>((resolve) => (answer = resolve)))
      .mockResolvedValueOnce(json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }));
    const el = await mount();
    expect(el.open).toBe(false);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    // Open from the press on: the frame shows (loading) while the open request is on its way.
    expect(el.open).toBe(true);
    answer(json(429, { error: { code: 'RATE_LIMITED', message: 'later' } }));
    await expect.element(page.getByRole('alert')).toBeVisible();
    expect(el.open).toBe(false);
    await userEvent.click(page.getByRole('button', { name: 'Try again' }));
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    expect(el.open).toBe(true);
    el.remove();
    expect(el.open).toBe(false);
  });

  it('offers to try again after a network failure, and opens on the retry', async () => {
    const fetchSpy = vi
      .spyOn(globalThis, 'fetch')
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValueOnce(json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }));
    const el = await mount();
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByRole('alert')).toHaveTextContent(/connection failed.*try again/);
    const retry = page.getByRole('button', { name: 'Try again' });
    await expect.poll(() => focusedText(el)).toBe('Try again');
    await userEvent.click(retry);
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    expect(fetchSpy).toHaveBeenCalledTimes(2);
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    const src = new URL(iframe.src);
    expect(src.origin + src.pathname).toBe('https://pci.example/frame/');
    expect(src.searchParams.get('host')).toBe(location.origin);
    expect(src.searchParams.get('site')).toBe('demo');
    expect(iframe.src).not.toContain(VIEW_OTK);
  });
});

describe('<secure-form-invite> defined after the page set its properties', () => {
  it('takes over properties set before the loader ran (the ES module loader is deferred)', async () => {
    const el = document.createElement('late-secure-form-invite') as SecureFormInvite;
    el.setAttribute('form-title', 'Card payment');
    (el as unknown as Record<string, unknown>).conversationToken = 'conversation-token-set-early-0123456789';
    (el as unknown as Record<string, unknown>).invitationId = INVITATION_ID;
    document.body.append(el);
    customElements.define('late-secure-form-invite', class extends SecureFormInvite {});
    expect(Object.prototype.hasOwnProperty.call(el, 'conversationToken')).toBe(false);
    expect(el.conversationToken).toBe('conversation-token-set-early-0123456789');
    expect(el.invitationId).toBe(INVITATION_ID);
    expect(el.getAttribute('invitation-id')).toBe(INVITATION_ID);
    el.remove();
  });
});

describe('<secure-form-invite> on a narrow screen', () => {
  it('sets the direction and language from the locale attribute, and translates', async () => {
    const el = await mount();
    el.setAttribute('locale', 'ar');
    await el.updateComplete;
    const base = el.shadowRoot!.querySelector('[part="base"]')!;
    expect(base.getAttribute('dir')).toBe('rtl');
    expect(base.getAttribute('lang')).toBe('ar');
    await expect.element(page.getByRole('button', { name: 'فتح النموذج الآمن' })).toBeVisible();
  });

  it('says the language it shows when the locale is no language tag (WebKitGTK under the C locale reports "C")', async () => {
    const el = await mount();
    el.setAttribute('locale', 'C');
    await el.updateComplete;
    const base = el.shadowRoot!.querySelector('[part="base"]')!;
    expect(base.getAttribute('lang')).toBe('en');
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  });
});
