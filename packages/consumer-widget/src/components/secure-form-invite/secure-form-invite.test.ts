import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import './secure-form-invite.js';
import { SecureFormInvite, type SecureFormSubmittedEvent } from './secure-form-invite.component.js';

const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const SUBMISSION_ID = '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e';
const VIEW_OTK = 'A'.repeat(43);
const TOKEN = 'conversation-token-0123456789';

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

async function mount(pciOrigin = 'https://pci.example'): Promise<SecureFormInvite> {
  const el = document.createElement('secure-form-invite');
  el.setAttribute('invitation-id', INVITATION_ID);
  el.setAttribute('form-title', 'Card payment');
  el.setAttribute('pci-origin', pciOrigin);
  el.setAttribute('site-id', 'demo');
  el.setAttribute('state', 'sent');
  el.conversationToken = TOKEN;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The text of what has focus inside the element's shadow root (jest-dom's toHaveFocus stops at the host). */
function focusedText(el: Element): string | undefined {
  return el.shadowRoot!.activeElement?.textContent?.trim();
}

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

describe('<secure-form-invite> talking to the frame', () => {
  /** Open against this page's own origin, so the test can watch the frame's window. */
  async function openFrame() {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    await new Promise<void>((resolve) => {
      if (iframe.contentDocument?.readyState === 'complete' && iframe.contentWindow?.location.href !== 'about:blank') resolve();
      else iframe.addEventListener('load', () => resolve(), { once: true });
    });
    const postMessage = vi.spyOn(iframe.contentWindow!, 'postMessage').mockImplementation(() => undefined);
    const send = (data: unknown, origin = location.origin, source: Window | null = iframe.contentWindow) =>
      window.dispatchEvent(new MessageEvent('message', { data, origin, source }));
    return { el, iframe, postMessage, send };
  }

  it('posts the view key once, only to the exact PCI origin, only after a genuine ready', async () => {
    const { postMessage, send, el } = await openFrame();
    const ready = { protocol: FRAME_PROTOCOL, type: 'ready' };
    send(ready, 'https://evil.example');
    send(ready, `${location.origin}/`);
    send(ready, location.origin, window);
    send({ protocol: 'other', type: 'ready' });
    expect(postMessage).not.toHaveBeenCalled();

    send(ready);
    expect(postMessage).toHaveBeenCalledTimes(1);
    expect(postMessage).toHaveBeenCalledWith(
      { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: VIEW_OTK },
      location.origin,
    );
    send(ready);
    expect(postMessage).toHaveBeenCalledTimes(1);
    expect(el.shadowRoot!.innerHTML).not.toContain(VIEW_OTK);
  });

  it('opens the frame, focused before its page loads, while the open request is on its way; posts the key after both the key and ready', async () => {
    let answer: (response: Response) => void = () => undefined;
    vi.spyOn(globalThis, 'fetch').mockReturnValue(new Promise<Response>((resolve) => (answer = resolve)));
    const el = await mount(location.origin);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    expect(iframe).not.toBeNull();
    expect(iframe.hidden).toBe(false);
    // Focused as it is attached, while its document is still the initial about:blank.
    expect(el.shadowRoot!.activeElement).toBe(iframe);
    expect(iframe.src).not.toContain(VIEW_OTK);
    // It loads although the open request has not answered.
    await expect
      .poll(() => iframe.contentWindow?.location.href !== 'about:blank' && iframe.contentDocument?.readyState === 'complete')
      .toBe(true);
    const postMessage = vi.spyOn(iframe.contentWindow!, 'postMessage').mockImplementation(() => undefined);
    // The frame is ready before the key is here: nothing is posted yet.
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { protocol: FRAME_PROTOCOL, type: 'ready' },
        origin: location.origin,
        source: iframe.contentWindow,
      }),
    );
    expect(postMessage).not.toHaveBeenCalled();

    answer(json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }));
    await expect.poll(() => postMessage.mock.calls.length).toBe(1);
    expect(postMessage).toHaveBeenCalledWith(
      { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, viewOtk: VIEW_OTK },
      location.origin,
    );
    expect(el.shadowRoot!.querySelector('iframe')).toBe(iframe);
  });

  it('aborts the open request when the frame is closed before it answers', async () => {
    let signal: AbortSignal | undefined;
    vi.spyOn(globalThis, 'fetch').mockImplementation((_input, init) => {
      signal = init?.signal ?? undefined;
      return new Promise<Response>(() => undefined);
    });
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    expect(el.shadowRoot!.querySelector('iframe')).not.toBeNull();
    expect(signal?.aborted).toBe(false);
    await userEvent.click(page.getByRole('dialog').getByRole('button', { name: 'Close' }));
    expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
    expect(signal?.aborted).toBe(true);
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('removes the early frame when the open request is refused, and offers the button again where another try can help', async () => {
    let answer: (response: Response) => void = () => undefined;
    vi.spyOn(globalThis, 'fetch').mockReturnValue(new Promise<Response>((resolve) => (answer = resolve)));
    const el = await mount(location.origin);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    expect(iframe.isConnected).toBe(true);
    answer(json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }));
    await expect.poll(() => iframe.isConnected).toBe(false);
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  });

  it('ignores submitted from a wrong origin or source, and honours the genuine one', async () => {
    const { el, iframe, send } = await openFrame();
    const submitted = vi.fn<(event: SecureFormSubmittedEvent) => void>();
    el.addEventListener('secure-form-submitted', submitted);
    const message = { protocol: FRAME_PROTOCOL, type: 'submitted', submissionId: SUBMISSION_ID };
    send(message, 'https://evil.example');
    send(message, location.origin, window);
    expect(submitted).not.toHaveBeenCalled();
    expect(iframe.isConnected).toBe(true);

    send({ protocol: FRAME_PROTOCOL, type: 'resize', height: 321 });
    expect(iframe.style.height).toBe('321px');

    send(message);
    expect(submitted).toHaveBeenCalledTimes(1);
    expect(submitted.mock.calls[0]![0].detail).toEqual({ invitationId: INVITATION_ID, submissionId: SUBMISSION_ID });
    expect(iframe.isConnected).toBe(false);
    await expect.poll(() => focusedText(el)).toBe('Sent securely');
  });

  it('returns focus to the open button when the frame closes', async () => {
    const { el, iframe, send } = await openFrame();
    send({ protocol: FRAME_PROTOCOL, type: 'closed' });
    expect(iframe.isConnected).toBe(false);
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('keeps the inline form open when the visitor presses Escape inside it', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin);
    el.setAttribute('display', 'inline');
    const closed = vi.fn();
    el.addEventListener('secure-form-closed', closed);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    expect(el.shadowRoot!.querySelector('dialog')!.open).toBe(false);
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { protocol: FRAME_PROTOCOL, type: 'escape' },
        origin: location.origin,
        source: iframe.contentWindow,
      }),
    );
    expect(iframe.isConnected).toBe(true);
    expect(closed).not.toHaveBeenCalled();
  });

  it('explains an error the frame reports', async () => {
    const { iframe, send } = await openFrame();
    send({ protocol: FRAME_PROTOCOL, type: 'error', code: 'OTK_EXPIRED' });
    expect(iframe.isConnected).toBe(false);
    await expect.element(page.getByRole('alert')).toHaveTextContent(/timed out.*Open the form again/);
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
  it('opens the form in a modal dialog, and Close returns focus to the open button', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount();
    el.setAttribute('display', 'dialog');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.matches(':modal')).toBe(true);
    expect(dialog.querySelector('iframe')).not.toBeNull();
    await expect.poll(() => el.shadowRoot!.activeElement?.tagName).toBe('IFRAME');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!.click();
    expect(dialog.open).toBe(false);
    expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('closes the dialog when Escape is pressed inside the frame, and only from the frame', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    const closed = vi.fn();
    el.addEventListener('secure-form-closed', closed);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    const iframe = dialog.querySelector('iframe')!;
    const escape = { protocol: FRAME_PROTOCOL, type: 'escape' };
    window.dispatchEvent(new MessageEvent('message', { data: escape, origin: 'https://evil.example', source: iframe.contentWindow }));
    window.dispatchEvent(new MessageEvent('message', { data: escape, origin: location.origin, source: window }));
    expect(dialog.open).toBe(true);
    window.dispatchEvent(new MessageEvent('message', { data: escape, origin: location.origin, source: iframe.contentWindow }));
    expect(dialog.open).toBe(false);
    expect(iframe.isConnected).toBe(false);
    expect(closed).toHaveBeenCalledTimes(1);
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('sets the direction and language from the locale attribute, and translates', async () => {
    const el = await mount();
    el.setAttribute('locale', 'ar');
    await el.updateComplete;
    const base = el.shadowRoot!.querySelector('[part="base"]')!;
    expect(base.getAttribute('dir')).toBe('rtl');
    expect(base.getAttribute('lang')).toBe('ar');
    await expect.element(page.getByRole('button', { name: 'فتح النموذج الآمن' })).toBeVisible();
  });
});

describe("<secure-form-invite>'s dialog Close asks the frame first", () => {
  const close = { protocol: FRAME_PROTOCOL, type: 'close' };

  /** The form open in the modal dialog, its frame loaded and ready; posts to the frame are caught. */
  async function openReadyDialog() {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    const closed = vi.fn();
    el.addEventListener('secure-form-closed', closed);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    const iframe = dialog.querySelector('iframe')!;
    await expect
      .poll(() => iframe.contentWindow?.location.href !== 'about:blank' && iframe.contentDocument?.readyState === 'complete')
      .toBe(true);
    const postMessage = vi.spyOn(iframe.contentWindow!, 'postMessage').mockImplementation(() => undefined);
    const send = (data: unknown) =>
      window.dispatchEvent(new MessageEvent('message', { data, origin: location.origin, source: iframe.contentWindow }));
    send({ protocol: FRAME_PROTOCOL, type: 'ready' });
    // The view key goes first; what follows is Close.
    await expect.poll(() => postMessage.mock.calls.length).toBe(1);
    postMessage.mockClear();
    const closeButton = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!;
    return { el, dialog, iframe, postMessage, send, closed, closeButton };
  }

  it("posts close to the frame and keeps the dialog open; the frame's escape then closes it", async () => {
    const { el, dialog, iframe, postMessage, send, closed, closeButton } = await openReadyDialog();
    closeButton.click();
    expect(postMessage).toHaveBeenCalledWith(close, location.origin);
    expect(dialog.open).toBe(true);
    expect(iframe.isConnected).toBe(true);
    expect(closed).not.toHaveBeenCalled();
    send({ protocol: FRAME_PROTOCOL, type: 'escape' });
    expect(dialog.open).toBe(false);
    expect(iframe.isConnected).toBe(false);
    expect(closed).toHaveBeenCalledTimes(1);
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('asks the frame on Escape on the host side of the dialog (its cancel) too', async () => {
    const { dialog, postMessage } = await openReadyDialog();
    const cancel = new Event('cancel', { cancelable: true });
    dialog.dispatchEvent(cancel);
    expect(cancel.defaultPrevented).toBe(true);
    expect(postMessage).toHaveBeenCalledWith(close, location.origin);
    expect(dialog.open).toBe(true);
  });

  it('moves focus into the frame when the frame is asking the visitor, and stays open past the wait', async () => {
    const { el, dialog, iframe, send, closed, closeButton } = await openReadyDialog();
    closeButton.focus();
    closeButton.click();
    send({ protocol: FRAME_PROTOCOL, type: 'confirming' });
    expect(el.shadowRoot!.activeElement).toBe(iframe);
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(dialog.open).toBe(true);
    expect(closed).not.toHaveBeenCalled();
    send({ protocol: FRAME_PROTOCOL, type: 'closed' });
    expect(dialog.open).toBe(false);
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('closes anyway when the frame answers neither within about 2 s: Close always works', async () => {
    const { el, dialog, iframe, closed, closeButton } = await openReadyDialog();
    closeButton.click();
    expect(dialog.open).toBe(true);
    await expect.poll(() => dialog.open, { timeout: 3000 }).toBe(false);
    expect(iframe.isConnected).toBe(false);
    expect(closed).toHaveBeenCalledTimes(1);
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('closes at once when the frame has not said ready', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    const iframe = dialog.querySelector('iframe')!;
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!.click();
    expect(dialog.open).toBe(false);
    expect(iframe.isConnected).toBe(false);
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it('ignores confirming while no Close is waiting for an answer', async () => {
    const { el, dialog, send } = await openReadyDialog();
    const closeButton = el.shadowRoot!.querySelector<HTMLButtonElement>('[part="close-button"]')!;
    closeButton.focus();
    send({ protocol: FRAME_PROTOCOL, type: 'confirming' });
    expect(el.shadowRoot!.activeElement).toBe(closeButton);
    expect(dialog.open).toBe(true);
  });
});

describe('<secure-form-invite> and the opens left', () => {
  async function openAndClose(opensLeft: number) {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString(), opensLeft }),
    );
    const el = await mount(location.origin);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    await new Promise<void>((resolve) => {
      if (iframe.contentDocument?.readyState === 'complete' && iframe.contentWindow?.location.href !== 'about:blank') resolve();
      else iframe.addEventListener('load', () => resolve(), { once: true });
    });
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { protocol: FRAME_PROTOCOL, type: 'closed' },
        origin: location.origin,
        source: iframe.contentWindow,
      }),
    );
    await expect.poll(() => el.shadowRoot!.querySelector('iframe')).toBeNull();
    return el;
  }

  it('says how many more times the form can be opened once the backend has said', async () => {
    await openAndClose(2);
    await expect.element(page.getByText('You can open this form 2 more times.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  });

  it('replaces the open button with a clear state after the last open', async () => {
    const el = await openAndClose(0);
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
    await expect.element(page.getByText(/You cannot open this form again\. Ask your agent/)).toBeVisible();
    await expect.poll(() => focusedText(el)).toMatch(/You cannot open this form again/);
  });

  it.each([
    ['OPEN_LIMIT_REACHED', 409],
    ['CONVERSATION_CLOSED', 409],
  ])('offers no open button after the refusal %s', async (errorCode, status) => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(json(status, { error: { code: errorCode, message: 'refused' } }));
    await mount();
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByRole('alert')).not.toBeEmptyDOMElement();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
  });
});
