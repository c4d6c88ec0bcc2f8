/**
 * What the `<secure-form-invite>` component tests share: an invitation mounted on the page, its
 * form opened with the test playing the frame's part (`openForm`), when a frame has loaded, the
 * warm-up pages, and where focus is inside the element's shadow root.
 */
import { FRAME_PROTOCOL } from '@secure-forms/shared/protocol';
import { expect, vi, type MockInstance } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import './secure-form-invite.js';
import type { SecureFormInvite } from './secure-form-invite.component.js';

export const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
export const SUBMISSION_ID = '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e';
export const TOKEN = 'conversation-token-0123456789';

export async function mount(pciOrigin = 'https://pci.example', parent: Element = document.body): Promise<SecureFormInvite> {
  const el = document.createElement('secure-form-invite');
  el.setAttribute('invitation-id', INVITATION_ID);
  el.setAttribute('form-title', 'Card payment');
  el.setAttribute('pci-origin', pciOrigin);
  el.setAttribute('site-id', 'demo');
  el.setAttribute('state', 'sent');
  el.conversationToken = TOKEN;
  parent.append(el);
  await el.updateComplete;
  return el;
}

/** The iframes in the page's body itself: the warm-up pages (not inside an invitation's shadow root). */
export const warmFrames = () => [...document.body.querySelectorAll(':scope > iframe')] as HTMLIFrameElement[];

/** The text of what has focus inside the element's shadow root (jest-dom's toHaveFocus stops at the host). */
export function focusedText(el: Element): string | undefined {
  return el.shadowRoot!.activeElement?.textContent?.trim();
}

/** Whether the frame's own document has loaded: not the initial about:blank, and complete. */
export function frameLoaded(iframe: HTMLIFrameElement): boolean {
  return iframe.contentWindow?.location.href !== 'about:blank' && iframe.contentDocument?.readyState === 'complete';
}

/** Resolves once the frame's own document has loaded (at once when it has). */
export function frameLoad(iframe: HTMLIFrameElement): Promise<void> {
  return new Promise<void>((resolve) => {
    if (frameLoaded(iframe)) resolve();
    else iframe.addEventListener('load', () => resolve(), { once: true });
  });
}

/**
 * Delivers `data` to the host page as a message from `source` at `origin`: by default the
 * invitation's frame (`iframe`'s window) at the invitation's exact PCI origin, as the frame posts.
 */
export function frameSays(el: SecureFormInvite, iframe: HTMLIFrameElement, data: unknown, origin?: string, source?: Window | null): void {
  const from = origin ?? new URL(el.pciOrigin).origin;
  window.dispatchEvent(new MessageEvent('message', { data, origin: from, source: source === undefined ? iframe.contentWindow : source }));
}

/** The invitation's form open, with the test in the frame's place (see `openForm`). */
export interface OpenForm {
  readonly iframe: HTMLIFrameElement;
  /** The host's posts to the frame's window, caught (the test server's page there would not read them). */
  readonly toFrame: MockInstance<Window['postMessage']>;
  /** `data` from the frame's window at the PCI origin, or from another `origin` or `source`. */
  send(data: unknown, origin?: string, source?: Window | null): void;
  /** The frame's page is up: `ready`, as the frame says it once its script runs. */
  ready(): void;
  /** The frame opened the invitation, with `opensLeft` opens still allowed after this one. */
  opened(opensLeft: unknown): void;
  /** The frame could not open the form: the refusal's stable code. */
  refuse(code: string): void;
  /** The visitor closed the form unsent, inside the frame. */
  closed(): void;
}

/**
 * Presses `el`'s open button (or the button named `button`, as "Try again") and resolves once its
 * frame's page has loaded, before the frame says anything. The PCI origin must be this page's own (`mount(location.origin)`), so that the test
 * can watch the frame's window; the test then plays the frame's part.
 */
export async function openForm(el: SecureFormInvite, button = 'Open secure form'): Promise<OpenForm> {
  await userEvent.click(page.elementLocator(el).getByRole('button', { name: button }));
  const iframe = el.shadowRoot!.querySelector('iframe')!;
  expect(iframe).not.toBeNull();
  await frameLoad(iframe);
  const toFrame = vi.spyOn(iframe.contentWindow!, 'postMessage').mockImplementation(() => undefined);
  const send = (data: unknown, origin?: string, source?: Window | null) => frameSays(el, iframe, data, origin, source);
  return {
    iframe,
    toFrame,
    send,
    ready: () => send({ protocol: FRAME_PROTOCOL, type: 'ready' }),
    opened: (opensLeft) => send({ protocol: FRAME_PROTOCOL, type: 'opened', opensLeft }),
    refuse: (code) => send({ protocol: FRAME_PROTOCOL, type: 'error', code }),
    closed: () => send({ protocol: FRAME_PROTOCOL, type: 'closed' }),
  };
}
