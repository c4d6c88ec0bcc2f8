/**
 * The invitation's states and the sentence that says each one. Pure: what the chat says, and what
 * this page saw, in; text out.
 */
import { msg } from '@lit/localize';
import type { InvitationState } from '@secure-forms/shared/vocabulary';

/** The state to show: the chat's, unless the answers were sent from this page (the chat may not know yet). */
export function shownState(state: InvitationState, submittedHere: boolean): InvitationState {
  return submittedHere ? 'submitted' : state;
}

/** Whether the form can be opened in this state at all (`sent` or `opened`). */
export function isOpenable(state: InvitationState): boolean {
  return state === 'sent' || state === 'opened';
}

/** Whether the answers are in (`submitted` or `viewed`): the state reads as done. */
export function isDone(state: InvitationState): boolean {
  return state === 'submitted' || state === 'viewed';
}

/** What the status line says in this state, with a next step where there is one. */
export function stateText(state: InvitationState): string {
  switch (state) {
    case 'submitted':
    case 'viewed':
      return msg('Sent securely');
    case 'expired':
      return msg('This form has expired. Ask your agent for a new one if you still need it.');
    case 'cancelled':
      return msg('Your agent cancelled this form.');
    case 'opened':
      return msg('Opened, not sent yet.');
    default:
      return msg('Your agent asked you to fill in this form. Your answers go straight to your agent, not into the chat.');
  }
}
