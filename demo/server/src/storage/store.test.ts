/** The store's own life cycle: readiness (ping) and close, on the engine this run uses. */
import { describe, expect, it } from 'vitest';
import { openTestStore } from '../test/test-store.js';

describe('the store', () => {
  it('answers ping while open, and refuses it once closed', async () => {
    const { store } = await openTestStore();
    await expect(store.ping()).resolves.toBeUndefined();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });
});
