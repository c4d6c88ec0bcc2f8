import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import { focusedText, mount, openForm } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form-invite> and the opens left', () => {
  /** Opens the form; the frame says it opened with `opensLeft` left, then that the visitor closed it. */
  async function openAndClose(opensLeft: number) {
    const el = await mount(location.origin);
    const { iframe, ready, opened, closed } = await openForm(el);
    ready();
    opened(opensLeft);
    // Not while the form is open: the sentence is for the next open.
    await expect.element(page.getByText(/You can(not)? open this form/)).not.toBeInTheDocument();
    closed();
    expect(iframe.isConnected).toBe(false);
    return el;
  }

  it('says how many more times the form can be opened once the frame has opened it and it has closed', async () => {
    await openAndClose(2);
    await expect.element(page.getByText('You can open this form 2 more times.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  });

  it('says "1 more time" for the last open but one', async () => {
    await openAndClose(1);
    await expect.element(page.getByText('You can open this form 1 more time.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  });

  it('replaces the open button with a clear state after the last open, and moves focus to it', async () => {
    const el = await openAndClose(0);
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
    await expect.element(page.getByText(/You cannot open this form again\. Ask your agent/)).toBeVisible();
    await expect.poll(() => focusedText(el)).toMatch(/You cannot open this form again/);
  });

  it.each([
    ['negative', -1],
    ['fractional', 1.5],
    ['a string', '2'],
    ['missing', undefined],
  ])('ignores an opened whose opens left is %s', async (_kind, invalid) => {
    const el = await mount(location.origin);
    const { ready, opened, send, closed } = await openForm(el);
    ready();
    opened(1);
    opened(invalid);
    // Nor a genuine one from anywhere but the frame's window at the PCI origin.
    const none = { protocol: FRAME_PROTOCOL, type: 'opened', opensLeft: 0 };
    send(none, 'https://evil.example');
    send(none, location.origin, window);
    closed();
    await expect.element(page.getByText('You can open this form 1 more time.')).toBeVisible();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
    await expect.poll(() => focusedText(el)).toBe('Open secure form');
  });

  it.each(['OPEN_LIMIT_REACHED', 'CONVERSATION_CLOSED'])('offers no open button after the refusal %s', async (code) => {
    const el = await mount(location.origin);
    const { ready, refuse } = await openForm(el);
    ready();
    refuse(code);
    await expect.element(page.getByRole('alert')).not.toBeEmptyDOMElement();
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
    await expect.element(page.getByRole('button', { name: 'Try again' })).not.toBeInTheDocument();
    // Nor does it come back when the invitation re-renders (the chat says its state again).
    el.state = 'opened';
    await expect.element(page.getByRole('button', { name: 'Open secure form' })).not.toBeInTheDocument();
  });
});
