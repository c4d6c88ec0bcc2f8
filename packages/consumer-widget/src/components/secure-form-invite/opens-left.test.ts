import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { focusedText, frameLoad, json, mount, VIEW_OTK } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
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
    await frameLoad(iframe);
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
