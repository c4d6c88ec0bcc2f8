/**
 * What the `<secure-form-invite>` component tests share: an invitation mounted on the page, the
 * open response, when its frame has loaded, the warm-up pages, and where focus is inside the
 * element's shadow root.
 */
import './secure-form-invite.js';
import type { SecureFormInvite } from './secure-form-invite.component.js';

export const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
export const SUBMISSION_ID = '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e';
export const VIEW_OTK = 'A'.repeat(43);
export const TOKEN = 'conversation-token-0123456789';

export { json } from '../../../../../fixtures/http.js';

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
