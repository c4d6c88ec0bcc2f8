import { describe, expect, it } from 'vitest';
import { KeyRing } from './key-ring.js';

const key = {} as CryptoKey;

describe('KeyRing', () => {
  it('spends a retrieve OTK when it is taken', () => {
    const ring = new KeyRing();
    ring.setRetrieveOtk('a', 'otk-a');
    expect(ring.takeRetrieveOtk('a')).toBe('otk-a');
    expect(ring.takeRetrieveOtk('a')).toBeUndefined();
  });

  it("drops one invitation's key and OTK, leaving the others", () => {
    const ring = new KeyRing();
    ring.setKey('a', key);
    ring.setKey('b', key);
    ring.setRetrieveOtk('a', 'otk-a');
    ring.drop('a');
    expect([ring.hasKey('a'), ring.key('a'), ring.takeRetrieveOtk('a')]).toEqual([false, undefined, undefined]);
    expect(ring.key('b')).toBe(key);
  });

  it('drops a failed OTK but keeps the key, and clears everything', () => {
    const ring = new KeyRing();
    ring.setKey('a', key);
    ring.setRetrieveOtk('a', 'otk-a');
    ring.dropRetrieveOtk('a');
    expect([ring.hasKey('a'), ring.takeRetrieveOtk('a')]).toEqual([true, undefined]);
    ring.setRetrieveOtk('a', 'otk-a');
    ring.clear();
    expect([ring.hasKey('a'), ring.takeRetrieveOtk('a')]).toEqual([false, undefined]);
  });
});
