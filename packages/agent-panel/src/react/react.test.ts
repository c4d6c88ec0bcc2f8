import { createElement } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SecureFormPanelErrorEvent, type SecureFormPanel as SecureFormPanelElement } from '../secure-form-panel.js';
import { SecureFormPanel } from './index.js';

const CONVERSATION_ID = '3c1e9a4d-2b7f-4e8a-9c6d-5f0a1b2c3d4e';
let root: Root | null = null;
let container: HTMLElement | null = null;

afterEach(() => {
  flushSync(() => root?.unmount());
  container?.remove();
  root = container = null;
  vi.restoreAllMocks();
});

function render(props: Record<string, unknown>): SecureFormPanelElement {
  // The panel loads its catalog on connect; keep it waiting, this test is about the wrapper.
  vi.spyOn(globalThis, 'fetch').mockReturnValue(new Promise<Response>(() => undefined));
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  flushSync(() => root!.render(createElement(SecureFormPanel, props)));
  return container.querySelector('secure-form-panel')!;
}

describe('@secure-forms/agent-panel/react', () => {
  it('renders <secure-form-panel> with its properties, the session never as an attribute', () => {
    const el = render({
      pciOrigin: location.origin,
      conversationId: CONVERSATION_ID,
      session: 'session-from-react-0123456789',
      idleTimeoutSeconds: 600,
    });
    expect(el).toBeInstanceOf(customElements.get('secure-form-panel')!);
    expect(el.conversationId).toBe(CONVERSATION_ID);
    expect(el.idleTimeoutSeconds).toBe(600);
    expect(el.session).toBe('session-from-react-0123456789');
    expect([...el.attributes].map((a) => a.value).join(' ')).not.toContain('session-from-react');
  });

  it('passes the typed events to their props', () => {
    const onError = vi.fn<(event: SecureFormPanelErrorEvent) => void>();
    const onSent = vi.fn();
    const el = render({ pciOrigin: location.origin, conversationId: CONVERSATION_ID, onError, onSent });
    el.dispatchEvent(new SecureFormPanelErrorEvent({ code: 'FORBIDDEN' }));
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError.mock.calls[0]![0].detail).toEqual({ code: 'FORBIDDEN' });
    expect(onSent).not.toHaveBeenCalled();
  });
});
