import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { focusedText, mount, openForm } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form-invite> on a narrow screen', () => {
  it('opens the form in a modal dialog, and Close returns focus to the open button', async () => {
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
});

describe("<secure-form-invite>'s dialog Close asks the frame first", () => {
  const close = { protocol: FRAME_PROTOCOL, type: 'close' };

  /** The form open in the modal dialog, its frame loaded and ready; posts to the frame are caught. */
  async function openReadyDialog() {
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    const closed = vi.fn();
    el.addEventListener('secure-form-closed', closed);
    const { iframe, toFrame: postMessage, send, ready } = await openForm(el);
    const dialog = el.shadowRoot!.querySelector('dialog')!;
    expect(dialog.contains(iframe)).toBe(true);
    ready();
    // Open goes first; what follows is Close.
    expect(postMessage).toHaveBeenCalledTimes(1);
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
