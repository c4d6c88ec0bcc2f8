import { describe, expect, it } from 'vitest';
import { HISTORY_PERMISSION, SEND_PERMISSION, mayUse } from './permissions.js';

describe('mayUse', () => {
  it('asks the history permission in history mode and the send permission otherwise', () => {
    expect(mayUse('history', [HISTORY_PERMISSION])).toBe(true);
    expect(mayUse('history', [SEND_PERMISSION])).toBe(false);
    expect(mayUse('agent', [SEND_PERMISSION])).toBe(true);
    expect(mayUse('agent', [HISTORY_PERMISSION])).toBe(false);
  });

  it('leaves the decision to the backend when the host gave no permissions', () => {
    expect(mayUse('agent', undefined)).toBe(true);
    expect(mayUse('history', undefined)).toBe(true);
    expect(mayUse('history', [])).toBe(false);
  });
});
