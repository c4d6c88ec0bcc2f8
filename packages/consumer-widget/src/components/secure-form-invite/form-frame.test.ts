import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { frameLoad, json, mount, VIEW_OTK, warmFrames } from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe("<secure-form-invite>'s form frame over its life", () => {
  it('loads the warm-up page again when the rendered form closes unsent and can still be opened', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin);
    el.setAttribute('display', 'dialog');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    await frameLoad(iframe);
    window.dispatchEvent(
      new MessageEvent('message', {
        data: { protocol: FRAME_PROTOCOL, type: 'resize', height: 300 },
        origin: location.origin,
        source: iframe.contentWindow,
      }),
    );
    expect(warmFrames()).toHaveLength(0);
    // The frame has not said ready: Close closes at once.
    await userEvent.click(page.getByRole('dialog').getByRole('button', { name: 'Close' }));
    expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
    expect(warmFrames()).toHaveLength(1);
  });

  it('closes an open form when the invitation leaves the page: the request aborted, the frame gone and no longer heard, no warm-up page left', async () => {
    let signal: AbortSignal | undefined;
    vi.spyOn(globalThis, 'fetch').mockImplementation((_input, init) => {
      signal = init?.signal ?? undefined;
      return new Promise<Response>(() => undefined);
    });
    const listeners = vi.spyOn(window, 'removeEventListener');
    const el = await mount(location.origin);
    el.setAttribute('display', 'inline');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    expect(iframe.isConnected).toBe(true);
    el.remove();
    expect(signal?.aborted).toBe(true);
    expect(iframe.isConnected).toBe(false);
    expect(listeners).toHaveBeenCalledWith('message', expect.any(Function));
    expect(warmFrames()).toHaveLength(0);
  });
});
