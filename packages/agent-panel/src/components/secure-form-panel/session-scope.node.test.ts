import { describe, expect, it } from 'vitest';
import { SessionScope } from './session-scope.js';

describe('SessionScope', () => {
  it('opens one client at a time; closing aborts it and later results are dropped', () => {
    const scope = new SessionScope();
    expect(scope.api).toBeNull();
    const first = scope.open('http://127.0.0.1:8443', 'token');
    expect(scope.api).toBe(first.api);
    expect(first.api.closed).toBe(false);
    const second = scope.open('http://127.0.0.1:8443', 'token');
    expect([first.api.closed, first.signal.aborted, second.api.closed]).toEqual([true, true, false]);
    scope.close();
    expect([scope.api, second.api.closed]).toEqual([null, true]);
  });
});
