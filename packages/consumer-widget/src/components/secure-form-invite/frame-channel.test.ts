import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { SecureFormSubmittedEvent } from './secure-form-invite.component.js';
import {
  focusedText,
  frameLoad,
  frameLoaded,
  INVITATION_ID,
  json,
  mount,
  SUBMISSION_ID,
  VIEW_OTK,
} from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form-invite> talking to the frame', () => {
  /** Open against this page's own origin, so the test can watch the frame's window. */
  async function openFrame(parent: Element = document.body) {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(
      json(200, { viewOtk: VIEW_OTK, expiresAt: new Date(Date.now() + 60_000).toISOString() }),
    );
    const el = await mount(location.origin, parent);
    // Inline, as in a chat transcript, whatever the test page's width.
    if (parent !== document.body) el.setAttribute('display', 'inline');
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    await frameLoad(iframe);
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

  it("posts the key on the frame's ready before moving focus into the frame, which asks for the form the moment the key arrives", async () => {
    const { el, iframe, postMessage, send } = await openFrame();
    // Focused as it opened: on ready the host also gives the frame's window the focus.
    expect(el.shadowRoot!.activeElement).toBe(iframe);
    const focus = vi.spyOn(iframe.contentWindow!, 'focus');
    send({ protocol: FRAME_PROTOCOL, type: 'ready' });
    expect(postMessage).toHaveBeenCalledTimes(1);
    expect(focus).toHaveBeenCalled();
    expect(postMessage.mock.invocationCallOrder[0]).toBeLessThan(focus.mock.invocationCallOrder[0]!);
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
    await expect.poll(() => frameLoaded(iframe)).toBe(true);
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

  it("brings the part of the frame where focus is into view in a scrolled transcript, on the frame's word only", async () => {
    const transcript = document.body.appendChild(document.createElement('div'));
    transcript.style.height = '150px';
    transcript.style.overflow = 'auto';
    const { el, iframe, send } = await openFrame(transcript);
    send({ protocol: FRAME_PROTOCOL, type: 'resize', height: 900 });
    const focus = { protocol: FRAME_PROTOCOL, type: 'focus', top: 700, bottom: 740 };
    /** Whether the strip of the frame at [top, bottom] lies inside the transcript's visible part. */
    const shown = (top: number, bottom: number) => {
      const frame = iframe.getBoundingClientRect();
      const view = transcript.getBoundingClientRect();
      return frame.top + top >= view.top - 1 && frame.top + bottom <= view.bottom + 1;
    };
    const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
    await expect.poll(() => iframe.clientHeight).toBe(900);

    // From another origin or window, or malformed: nothing moves (the transcript may have scrolled
    // to the iframe as it took focus on opening).
    const before = transcript.scrollTop;
    send(focus, 'https://evil.example');
    send(focus, location.origin, window);
    for (const bad of [{ top: -10_001 }, { bottom: 10_001 }, { top: '700' }, { bottom: null }, { top: Number.NaN }, { protocol: 'other' }])
      send({ ...focus, ...bad });
    // Wholly above the frame's viewport (the frame scrolled itself): nothing to show on the page.
    send({ ...focus, top: -80, bottom: -40 });
    await settle();
    expect(transcript.scrollTop).toBe(before);
    expect(shown(700, 740)).toBe(false);

    send(focus);
    await expect.poll(() => shown(700, 740)).toBe(true);
    const strip = el.shadowRoot!.querySelector('.focus-strip')!;
    expect(strip.getAttribute('aria-hidden')).toBe('true');
    expect(getComputedStyle(strip).pointerEvents).toBe('none');

    // Already in view: no scroll at all.
    const scrolled = transcript.scrollTop;
    send({ ...focus, top: 710, bottom: 730 });
    await settle();
    expect(transcript.scrollTop).toBe(scrolled);

    // Back up above the visible part: scrolled up just enough, to the frame's top edge for an
    // element reaching above it.
    send({ ...focus, top: -10, bottom: 50 });
    await expect.poll(() => shown(0, 50)).toBe(true);
    expect(iframe.getBoundingClientRect().top).toBeCloseTo(transcript.getBoundingClientRect().top, 0);
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
