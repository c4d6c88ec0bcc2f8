import { FRAME_URL_VERSION } from '@secure-forms/shared/frame-url';
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import type { SecureFormSubmittedEvent } from './secure-form-invite.component.js';
import {
  focusedText,
  frameLoad,
  frameLoaded,
  INVITATION_ID,
  mount,
  openForm,
  SUBMISSION_ID,
  TOKEN,
  warmFrames,
} from './secure-form-invite.test-support.js';

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form-invite> talking to the frame', () => {
  /** Open against this page's own origin, so the test can watch the frame's window. */
  async function openFrame(parent: Element = document.body) {
    const el = await mount(location.origin, parent);
    // Inline, as in a chat transcript, whatever the test page's width.
    if (parent !== document.body) el.setAttribute('display', 'inline');
    return { el, ...(await openForm(el)) };
  }

  /** Whether `value` holds `text` anywhere (what cannot be serialized counts as holding it). */
  const carries = (value: unknown, text: string) => {
    try {
      return JSON.stringify(value).includes(text);
    } catch {
      return true;
    }
  };

  /** Every attribute value on the page (the warm-up pages included) and in the element's shadow root. */
  const attributeValues = (el: Element) =>
    [...document.querySelectorAll('*'), ...el.shadowRoot!.querySelectorAll('*')].flatMap((node) =>
      node.getAttributeNames().map((name) => node.getAttribute(name)!),
    );

  it('posts open with the conversation token once, only to the exact PCI origin, only after a genuine ready', async () => {
    // The PCI origin as the chat may write it, with a path: only its exact origin is used.
    const el = await mount(`${location.origin}/some/path/`);
    el.setAttribute('display', 'dialog');
    const [warm] = warmFrames() as [HTMLIFrameElement];
    await frameLoad(warm);
    const toWarm = vi.spyOn(warm.contentWindow!, 'postMessage');
    const toPage = vi.spyOn(window, 'postMessage');
    const { iframe, toFrame, send, ready } = await openForm(el);
    const readyMessage = { protocol: FRAME_PROTOCOL, type: 'ready' };
    send(readyMessage, 'https://evil.example');
    send(readyMessage, `${location.origin}/`);
    send(readyMessage, 'null');
    send(readyMessage, location.origin, window);
    send(readyMessage, location.origin, warm.contentWindow);
    send(readyMessage, location.origin, null);
    send({ protocol: 'other', type: 'ready' });
    send({ ...readyMessage, protocol: undefined });
    expect(toFrame).not.toHaveBeenCalled();

    ready();
    expect(toFrame).toHaveBeenCalledTimes(1);
    expect(toFrame).toHaveBeenCalledWith(
      { protocol: FRAME_PROTOCOL, type: 'open', invitationId: INVITATION_ID, conversationToken: TOKEN },
      location.origin,
    );
    // A frame that reloads (a second ready) gets no second open.
    ready();
    expect(toFrame).toHaveBeenCalledTimes(1);

    // The dialog's Close asks the frame: that message, like every other, carries no token.
    await userEvent.click(page.getByRole('dialog').getByRole('button', { name: 'Close' }));
    expect(toFrame).toHaveBeenCalledTimes(2);
    expect(toFrame).toHaveBeenLastCalledWith({ protocol: FRAME_PROTOCOL, type: 'close' }, location.origin);
    const posts: unknown[][] = [...toFrame.mock.calls, ...toWarm.mock.calls, ...toPage.mock.calls];
    expect(posts.filter((call) => carries(call, TOKEN))).toHaveLength(1);
    expect(toWarm).not.toHaveBeenCalled();
    // Nor in the frame's URL, nor in any attribute or text on the page.
    expect(iframe.src).not.toContain(TOKEN);
    expect(attributeValues(el).filter((value) => value.includes(TOKEN))).toEqual([]);
    expect(document.documentElement.outerHTML + el.shadowRoot!.innerHTML).not.toContain(TOKEN);
  });

  it("posts open on the frame's ready before moving focus into the frame, which asks for the form the moment open arrives", async () => {
    const { el, iframe, toFrame, ready } = await openFrame();
    // Focused as it opened: on ready the host also gives the frame's window the focus.
    expect(el.shadowRoot!.activeElement).toBe(iframe);
    const focus = vi.spyOn(iframe.contentWindow!, 'focus');
    ready();
    expect(toFrame).toHaveBeenCalledTimes(1);
    expect(focus).toHaveBeenCalled();
    expect(toFrame.mock.invocationCallOrder[0]).toBeLessThan(focus.mock.invocationCallOrder[0]!);
  });

  it('opens the frame at once on the press, focused before its page loads, at the frame URL of this protocol version with nothing secret in it', async () => {
    const el = await mount(location.origin);
    await userEvent.click(page.getByRole('button', { name: 'Open secure form' }));
    const iframe = el.shadowRoot!.querySelector('iframe')!;
    expect(iframe).not.toBeNull();
    expect(iframe.hidden).toBe(false);
    // Focused as it is attached, while its document is still the initial about:blank.
    expect(el.shadowRoot!.activeElement).toBe(iframe);
    await expect.element(page.getByTitle('Secure form: Card payment')).toBeInTheDocument();
    const src = new URL(iframe.src);
    expect(src.origin + src.pathname).toBe(`${location.origin}/frame/`);
    expect(Object.fromEntries(src.searchParams)).toEqual({
      site: 'demo',
      host: location.origin,
      locale: navigator.language,
      v: FRAME_URL_VERSION,
    });
    expect(iframe.src).not.toContain(TOKEN);
    expect(iframe.src).not.toContain(INVITATION_ID);
    // Its page loads at once: nothing holds it back (the host makes no request of its own first).
    await expect.poll(() => frameLoaded(iframe)).toBe(true);
    expect(el.shadowRoot!.querySelector('iframe')).toBe(iframe);
  });

  it.each(['INTERNAL', 'RATE_LIMITED'])(
    'removes the frame when it reports the refusal %s, and offers the button again where another try can help',
    async (code) => {
      const { el, iframe, ready, refuse } = await openFrame();
      expect(iframe.isConnected).toBe(true);
      ready();
      refuse(code);
      expect(iframe.isConnected).toBe(false);
      expect(el.shadowRoot!.querySelector('iframe')).toBeNull();
      await expect.element(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
      await expect.element(page.getByRole('button', { name: 'Try again' })).toBeVisible();
    },
  );

  it("keeps the frame open on an error code that is no refusal of the visitor's (a failed connection stays in the frame)", async () => {
    const { iframe, ready, refuse } = await openFrame();
    ready();
    refuse('NETWORK');
    refuse('WORKSPACE_TOKEN_INVALID');
    expect(iframe.isConnected).toBe(true);
    await expect.element(page.getByRole('alert')).toBeEmptyDOMElement();
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
    const el = await mount(location.origin);
    el.setAttribute('display', 'inline');
    const closed = vi.fn();
    el.addEventListener('secure-form-closed', closed);
    const { iframe, ready, send } = await openForm(el);
    expect(el.shadowRoot!.querySelector('dialog')!.open).toBe(false);
    ready();
    send({ protocol: FRAME_PROTOCOL, type: 'escape' });
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
