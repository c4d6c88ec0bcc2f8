/**
 * The panel's markup on its own, rendered with lit into a plain element: the idle warning and
 * notice by idle state, the send form submitting the form picked, and which presses on the warning
 * drawn here count as "I'm still here" (the idle controller's `pressesStay`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'lit';
import { pressesStay, type IdleState } from './idle-controller.js';
import { FORMS, IDENTITY_FORM } from './panel-test-support.js';
import { renderPanel, type PanelView } from './templates.js';

/** An agent-mode view with the two example forms listed, the second picked, recording what the buttons call. */
function view(idle: IdleState, calls: string[]): PanelView {
  return {
    locale: 'en',
    history: false,
    idle,
    allowed: true,
    ready: true,
    catalog: {
      forms: FORMS,
      failed: false,
      selected: IDENTITY_FORM.id,
    },
    conversation: {
      sending: false,
      conversationClosed: false,
      transferred: false,
      send: async (formId) => void calls.push(`send ${formId}`),
      cancel: async () => {},
      retrieve: async () => {},
    },
    problem: null,
    invitations: [],
    responses: { items: null, open: async () => {}, close: () => {} },
    reveal: { revealedKey: null, toggle: () => {}, copy: async () => {} },
    live: { text: '' },
    on: { resume: () => void calls.push('resume'), stay: () => void calls.push('stay'), select: () => {} },
  };
}

function show(v: PanelView): HTMLElement {
  const root = document.body.appendChild(document.createElement('div'));
  render(renderPanel(v), root);
  return root;
}

const part = (root: HTMLElement, name: string) => root.querySelector<HTMLElement>(`[part~="${name}"]`);

afterEach(() => document.body.replaceChildren());

describe('renderPanel', () => {
  it('shows the send form and no idle notice while active', () => {
    const root = show(view('active', []));
    expect(part(root, 'send')).not.toBeNull();
    expect([part(root, 'idle-warning'), part(root, 'idle-notice')]).toEqual([null, null]);
  });

  it('adds the warning with "I\'m still here" when warned, and its button calls stay', () => {
    const calls: string[] = [];
    const root = show(view('warned', calls));
    expect(part(root, 'send')).not.toBeNull();
    expect(part(root, 'idle-warning')!.getAttribute('role')).toBe('alert');
    part(root, 'stay-button')!.click();
    expect(calls).toEqual(['stay']);
  });

  it('shows only the notice with "Continue" once cleared, and its button calls resume', () => {
    const calls: string[] = [];
    const root = show(view('cleared', calls));
    expect([part(root, 'send'), part(root, 'idle-warning')]).toEqual([null, null]);
    part(root, 'resume-button')!.click();
    expect(calls).toEqual(['resume']);
  });

  it('sends the form picked when the send form is submitted, without leaving the page', () => {
    const calls: string[] = [];
    const root = show(view('active', calls));
    const submit = new SubmitEvent('submit', { cancelable: true });
    part(root, 'send')!.dispatchEvent(submit);
    expect([calls, submit.defaultPrevented]).toEqual([[`send ${IDENTITY_FORM.id}`], true]);
  });
});

describe('pressesStay', () => {
  it('is true for a press on "I\'m still here" and false for one elsewhere or none', () => {
    const root = show(view('warned', []));
    const presses: boolean[] = [];
    root.addEventListener('pointerdown', (event) => presses.push(pressesStay(event)));
    part(root, 'stay-button')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    part(root, 'title')!.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true, composed: true }));
    expect([...presses, pressesStay(undefined)]).toEqual([true, false, false]);
  });
});
