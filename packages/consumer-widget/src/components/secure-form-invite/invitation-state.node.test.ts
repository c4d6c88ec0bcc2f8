import { describe, expect, it } from 'vitest';
import { isDone, isOpenable, shownState, stateText } from './invitation-state.js';

describe('the invitation state', () => {
  it('shows submitted once the answers were sent from this page, whatever the chat still says', () => {
    expect(shownState('opened', true)).toBe('submitted');
    expect(shownState('sent', true)).toBe('submitted');
    expect(shownState('opened', false)).toBe('opened');
    expect(shownState('expired', false)).toBe('expired');
  });

  it('can be opened when sent or opened, and is done when submitted or viewed', () => {
    expect(
      ['sent', 'opened', 'submitted', 'viewed', 'expired', 'cancelled'].map((s) => [isOpenable(s as never), isDone(s as never)]),
    ).toEqual([
      [true, false],
      [true, false],
      [false, true],
      [false, true],
      [false, false],
      [false, false],
    ]);
  });

  it('says each state in a sentence, with a next step where the visitor has one', () => {
    expect(stateText('sent')).toBe('Your agent asked you to fill in this form. Your answers go straight to your agent, not into the chat.');
    expect(stateText('opened')).toBe('Opened, not sent yet.');
    expect(stateText('submitted')).toBe('Sent securely');
    expect(stateText('viewed')).toBe('Sent securely');
    expect(stateText('expired')).toBe('This form has expired. Ask your agent for a new one if you still need it.');
    expect(stateText('cancelled')).toBe('Your agent cancelled this form.');
  });
});
