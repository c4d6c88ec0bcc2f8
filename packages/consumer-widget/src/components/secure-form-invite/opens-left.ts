/**
 * How many more times the form can be opened, as far as this page knows: whether the open button
 * may show, and the `opens-left` sentence. Pure: the backend's `opensLeft` and refusals in.
 *
 * `opensLeft` is the opens still allowed after the last one, as the backend said (null before the
 * first); `refusedForGood` is a refusal that opening again cannot change (no opens left, the chat
 * has ended); `state` is the state shown (see `shownState`).
 */
import { msg, str } from '@lit/localize';
import type { InvitationState } from '@secure-forms/shared/vocabulary';
import { isOpenable } from './invitation-state.js';

/** Whether the form may still be opened, open or not. */
export function mayOpen(state: InvitationState, opensLeft: number | null, refusedForGood: boolean): boolean {
  return isOpenable(state) && opensLeft !== 0 && !refusedForGood;
}

/**
 * What `opens-left` says: the opens left where a limit is known, or that none are left; empty
 * while the form is `open`, after a refusal for good, and in a state that cannot be opened.
 */
export function opensLeftText(state: InvitationState, opensLeft: number | null, refusedForGood: boolean, open: boolean): string {
  if (open || refusedForGood || !isOpenable(state) || opensLeft === null) return '';
  if (opensLeft === 0) return msg('You cannot open this form again. Ask your agent in the chat to send you a new one.');
  return opensLeft === 1 ? msg('You can open this form 1 more time.') : msg(str`You can open this form ${opensLeft} more times.`);
}
