import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { frameSays, mount, openForm, SUBMISSION_ID, warmFrames } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe("<secure-form-invite>'s form frame over its life", () => {
  it('loads the warm-up page again when the rendered form closes unsent and can still be opened', async () => {
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    const { send } = await openForm(el);
    send({ protocol: FRAME_PROTOCOL, type: 'resize', height: 300 });
    expect(warmFrames()).toHaveLength(0);
    // The frame has not said ready: Close closes at once.
    await userEvent.click(page.getByRole('dialog').getByRole('button', { name: 'Close' }));
    expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
    expect(warmFrames()).toHaveLength(1);
  });

  it('closes an open form when the invitation leaves the page: the frame gone, its messages no longer heard, no warm-up page left', async () => {
    const el = await mount(location.origin);
    el.setAttribute('display', 'inline');
    // The listeners the open form adds for the frame's messages.
    const added = vi.spyOn(window, 'addEventListener');
    const removed = vi.spyOn(window, 'removeEventListener');
    const { iframe, ready, opened } = await openForm(el);
    const frameWindow = iframe.contentWindow;
    const listeners = added.mock.calls.filter(([type]) => type === 'message').map(([, listener]) => listener);
    expect(listeners).not.toHaveLength(0);
    ready();
    opened(2);
    expect(warmFrames()).toHaveLength(1);
    const events = vi.fn();
    el.addEventListener('secure-form-submitted', events);
    el.addEventListener('secure-form-closed', events);

    el.remove();
    expect(el.open).toBe(false);
    expect(iframe.isConnected).toBe(false);
    expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
    for (const listener of listeners) expect(removed).toHaveBeenCalledWith('message', listener);
    // What its window may still post changes nothing.
    frameSays(el, iframe, { protocol: FRAME_PROTOCOL, type: 'submitted', submissionId: SUBMISSION_ID }, location.origin, frameWindow);
    frameSays(el, iframe, { protocol: FRAME_PROTOCOL, type: 'closed' }, location.origin, frameWindow);
    expect(events).not.toHaveBeenCalled();
    expect(warmFrames()).toHaveLength(0);
  });
});
