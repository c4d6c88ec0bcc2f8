import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecureFormClosedEvent, SecureFormSubmittedEvent, type SecureFormInvite as SecureFormInviteElement } from '../loader.js';
import { SecureFormInvite } from './index.js';

const INVITATION_ID = '6f1c2b1e-8d4c-4a7b-9a55-0b3e1c2d4e5f';
const SUBMISSION_ID = '0d7f3a52-6a1b-4c3e-8f9d-1e2a3b4c5d6e';
let root: Root | null = null;
let container: HTMLElement | null = null;

afterEach(() => {
  flushSync(() => root?.unmount());
  container?.remove();
  root = container = null;
});

function render(props: Record<string, unknown>): SecureFormInviteElement {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  flushSync(() => root!.render(createElement(SecureFormInvite, props)));
  return container.querySelector('secure-form-invite')!;
}

describe('@secure-forms/consumer-widget/react', () => {
  it('renders <secure-form-invite> with its properties, the conversation token never as an attribute', () => {
    const el = render({
      invitationId: INVITATION_ID,
      formTitle: 'Card payment',
      siteId: 'demo',
      conversationToken: 'token-from-react-0123456789abc',
    });
    expect(el).toBeInstanceOf(customElements.get('secure-form-invite')!);
    expect(el.getAttribute('invitation-id')).toBe(INVITATION_ID);
    expect(el.formTitle).toBe('Card payment');
    expect(el.conversationToken).toBe('token-from-react-0123456789abc');
    expect([...el.attributes].map((a) => a.value).join(' ')).not.toContain('token-from-react');
  });

  it('passes the typed events to onSubmitted and onClosed', () => {
    const onSubmitted = vi.fn<(event: SecureFormSubmittedEvent) => void>();
    const onClosed = vi.fn();
    const el = render({ invitationId: INVITATION_ID, formTitle: 'Card payment', onSubmitted, onClosed });
    el.dispatchEvent(new SecureFormSubmittedEvent({ invitationId: INVITATION_ID, submissionId: SUBMISSION_ID }));
    el.dispatchEvent(new SecureFormClosedEvent());
    expect(onSubmitted).toHaveBeenCalledTimes(1);
    expect(onSubmitted.mock.calls[0]![0].detail).toEqual({ invitationId: INVITATION_ID, submissionId: SUBMISSION_ID });
    expect(onClosed).toHaveBeenCalledTimes(1);
  });
});
