/**
 * The invitation card: the label, the form's title, its state, the open button, the opens left,
 * and the message that explains a refusal. Built once; `render` sets what it says and shows.
 *
 * A function over closures rather than a class or an object of parts: the parts stay local
 * names, which minify, in the one script a brand adds (measured: the object of parts cost about
 * 100 B min+gzip).
 */
import { msg } from '@lit/localize';
import type { InvitationState } from '@secure-forms/shared/vocabulary';
import type { Problem } from '../../messages/problems.js';
import { el } from './dom.js';
import { isDone, stateText } from './invitation-state.js';

/** The card, and the parts the element places things in or moves focus to. */
export interface InvitationCard {
  readonly base: HTMLElement;
  /** A polite live region; receives focus after the answers are sent. */
  readonly status: HTMLElement;
  readonly openButton: HTMLButtonElement;
  /** The opens-left sentence; focused when it replaces the open button. */
  readonly opens: HTMLElement;
  readonly retryButton: HTMLButtonElement;
  /** Where the inline frame goes. */
  readonly frameContainer: HTMLElement;
  /**
   * Sets the card's text and what shows, touching the live regions only when their content
   * changes: the form's title, the state shown (see `shownState`), whether the open button shows,
   * the opens-left sentence (empty hides it), and the problem to explain, if any.
   */
  render(formTitle: string, state: InvitationState, canOpen: boolean, opensLeft: string, problem: Problem | null): void;
}

/** Builds the card, empty until the first `render`; its open and "Try again" buttons call `onOpen`. */
export function invitationCard(onOpen: () => void): InvitationCard {
  const label = el('p', { part: 'label', class: 'label' });
  const title = el('p', { part: 'title', class: 'title', id: 'title' });
  // A polite live region: a change of state (e.g. "Sent securely") is announced where it shows.
  const status = el('p', { part: 'status', class: 'status', tabindex: '-1', role: 'status' });
  const openButton = el('button', { part: 'open-button', class: 'button', type: 'button', 'aria-describedby': 'title' });
  const actions = el('div', { part: 'actions', class: 'actions' }, openButton);
  // Not a live region: read where it stands, and focused when it replaces the open button.
  const opens = el('p', { part: 'opens-left', class: 'status', tabindex: '-1' });
  const messageText = el('p', { part: 'message-text' });
  const retryButton = el('button', { part: 'retry-button', class: 'button button--secondary', type: 'button' });
  const message = el('div', { part: 'message', class: 'message', role: 'alert' });
  const frameContainer = el('div', { part: 'frame-container', class: 'frame-container' });
  const base = el(
    'section',
    { part: 'base', class: 'base', 'aria-labelledby': 'title' },
    label,
    title,
    status,
    actions,
    opens,
    message,
    frameContainer,
  );
  openButton.addEventListener('click', onOpen);
  retryButton.addEventListener('click', onOpen);

  const render = (formTitle: string, state: InvitationState, canOpen: boolean, opensLeft: string, problem: Problem | null): void => {
    label.textContent = msg('Secure form');
    title.textContent = formTitle;
    // Only touch the live region when its text changes, so it is announced once.
    const text = stateText(state);
    if (status.textContent !== text) status.textContent = text;
    status.classList.toggle('status--done', isDone(state));
    actions.hidden = !canOpen;
    opens.textContent = opensLeft;
    opens.hidden = !opensLeft;
    openButton.textContent = msg('Open secure form');
    retryButton.textContent = msg('Try again');
    const children: Node[] = [];
    if (problem) {
      messageText.textContent = problem.text;
      children.push(messageText);
      if (problem.retry && canOpen) children.push(retryButton);
    }
    // Only touch the live region when its content changes, so it is announced once.
    if (children.length !== message.childNodes.length || children.some((c, i) => message.childNodes[i] !== c)) {
      message.replaceChildren(...children);
    }
    message.classList.toggle('message--empty', !problem);
  };
  return { base, status, openButton, opens, retryButton, frameContainer, render };
}
