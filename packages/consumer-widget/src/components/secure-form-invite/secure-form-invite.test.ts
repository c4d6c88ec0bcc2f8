import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { SecureFormInvite } from './secure-form-invite.component.js';
import { focusedText, INVITATION_ID, mount, openForm, TOKEN } from './secure-form-invite.test-support.js';

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

  it('makes no network request of its own when it opens: the frame opens the invitation', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const xhrSpy = vi.spyOn(XMLHttpRequest.prototype, 'open');
    const beaconSpy = vi.spyOn(navigator, 'sendBeacon');
    const el = await mount(location.origin);
    const before = performance.getEntriesByType('resource').length;
    const { ready, opened, toFrame } = await openForm(el);
    ready();
    opened(2);
    expect(toFrame).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(xhrSpy).not.toHaveBeenCalled();
    expect(beaconSpy).not.toHaveBeenCalled();
    // Nor by any other way: nothing on the page has loaded an API path since.
    const loads = performance.getEntriesByType('resource').slice(before) as PerformanceResourceTiming[];
    expect(loads.filter((entry) => new URL(entry.name).pathname.startsWith('/v1/'))).toEqual([]);
  });

  it.each([
    ['OPEN_LIMIT_REACHED', /opened the maximum number of times\. Ask your agent in the chat to send you a new one/],
    ['ALREADY_SUBMITTED', /already sent this form/],
    ['INVITATION_EXPIRED', /This form has expired\. Ask your agent/],
    ['CONVERSATION_CLOSED', /chat has ended.*Start a new chat/],
  ])("explains the frame's refusal %s with a next step, closes the frame and moves focus to the status", async (code, text) => {
    const el = await mount(location.origin);
    const { iframe, ready, refuse } = await openForm(el);
    ready();
    refuse(code);
    expect(iframe.isConnected).toBe(false);
    expect(el.open).toBe(false);
    expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
    await expect.element(page.getByRole('alert')).toHaveTextContent(text);
    // Trying again cannot help: no "Try again", and focus goes to the status line, not lost to <body>.
    await expect.element(page.getByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    await expect.poll(() => el.shadowRoot!.activeElement?.getAttribute('role')).toBe('status');
  });

  it('marks the form sent when the frame refuses with ALREADY_SUBMITTED', async () => {
    const el = await mount(location.origin);
    const { ready, refuse } = await openForm(el);
    ready();
    refuse('ALREADY_SUBMITTED');
    await expect.element(page.getByRole('status')).toHaveTextContent('Sent securely');
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
    await expect.poll(() => focusedText(el)).toBe('Sent securely');
  });

  it.each([
    ['INTERNAL', /Something went wrong on our side.*Try again in a moment/],
    ['RATE_LIMITED', /too many attempts.*try again/],
  ])(
    'offers to try again, focused, after the refusal %s where another try can help, and opens a new frame on the retry',
    async (code, text) => {
      const el = await mount(location.origin);
      const first = await openForm(el);
      first.ready();
      first.refuse(code);
      expect(first.iframe.isConnected).toBe(false);
      await expect.element(page.getByRole('alert')).toHaveTextContent(text);
      await expect.poll(() => focusedText(el)).toBe('Try again');
      await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();

      const retried = await openForm(el, 'Try again');
      expect(retried.iframe).not.toBe(first.iframe);
      expect(el.shadowRoot!.activeElement).toBe(retried.iframe);
      await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
      await expect.element(page.getByRole('alert')).toBeEmptyDOMElement();
      // The new frame gets its own open at its own ready.
      retried.ready();
      expect(retried.toFrame).toHaveBeenCalledWith(
        { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, conversationToken: TOKEN },
        location.origin,
      );
    },
  );

  it('says whether its form is open: from "Open secure form" until it is refused, and again once it opens', async () => {
    const el = await mount(location.origin);
    expect(el.open).toBe(false);
    const { ready, refuse } = await openForm(el);
    // Open from the press on: the frame shows (loading) while it opens the invitation.
    expect(el.open).toBe(true);
    ready();
    expect(el.open).toBe(true);
    refuse('RATE_LIMITED');
    await expect.element(page.getByRole('alert')).toBeVisible();
    expect(el.open).toBe(false);
    await userEvent.click(page.getByRole('button', { name: 'Try again' }));
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    expect(el.open).toBe(true);
    el.remove();
    expect(el.open).toBe(false);
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
