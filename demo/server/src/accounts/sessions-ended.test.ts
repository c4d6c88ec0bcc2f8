import { describe, expect, it } from 'vitest';
import { SessionsEndedListeners, type SessionsEnded } from './sessions-ended.js';

describe('ended sessions', () => {
  it('tells every listener and waits for each; a removed listener hears nothing more', async () => {
    const listeners = new SessionsEndedListeners();
    const heard: string[] = [];
    let finished = false;
    listeners.add(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      finished = true;
    });
    const remove = listeners.add((ended) => void heard.push(ended.kind));
    const logout: SessionsEnded = { kind: 'logout', tokenHash: 'h' };
    await listeners.tell(logout);
    expect(finished).toBe(true);
    remove();
    await listeners.tell(logout);
    expect(heard).toEqual(['logout']);
  });
});
