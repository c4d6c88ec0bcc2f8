import { describe, expect, it } from 'vitest';
import { mayOpen, opensLeftText } from './opens-left.js';

describe('the opens left', () => {
  it('allows opening while opens are left or unknown, in a state that can be opened, unless refused for good', () => {
    expect(mayOpen('sent', null, false)).toBe(true);
    expect(mayOpen('opened', 2, false)).toBe(true);
    expect(mayOpen('opened', 0, false)).toBe(false);
    expect(mayOpen('sent', 3, true)).toBe(false);
    expect(mayOpen('expired', 3, false)).toBe(false);
    expect(mayOpen('submitted', null, false)).toBe(false);
  });

  it('says how many more times the form can be opened, in the singular for one', () => {
    expect(opensLeftText('opened', 3, false, false)).toBe('You can open this form 3 more times.');
    expect(opensLeftText('opened', 1, false, false)).toBe('You can open this form 1 more time.');
  });

  it('says with a next step that the form cannot be opened again after the last open', () => {
    expect(opensLeftText('opened', 0, false, false)).toBe(
      'You cannot open this form again. Ask your agent in the chat to send you a new one.',
    );
  });

  it('says nothing before the backend has said, while the form is open, after a refusal for good, or when it cannot be opened', () => {
    expect(opensLeftText('sent', null, false, false)).toBe('');
    expect(opensLeftText('opened', 2, false, true)).toBe('');
    expect(opensLeftText('opened', 0, true, false)).toBe('');
    expect(opensLeftText('submitted', 2, false, false)).toBe('');
    expect(opensLeftText('expired', 0, false, false)).toBe('');
  });
});
