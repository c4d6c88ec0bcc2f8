import type { SealedEnvelope } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { OffTheRecordStore } from './off-the-record.js';

const envelope = (n: number) => ({ protected: `p${n}`, ciphertext: 'c', iv: 'i', tag: 't', recipients: [{}] }) as SealedEnvelope;

describe('OffTheRecordStore', () => {
  it('forgets an entry when its TTL passes', () => {
    let now = 0;
    const store = new OffTheRecordStore(() => now, 10);
    store.put('a', envelope(1), 1000);
    now = 999;
    expect(store.get('a')).toEqual(envelope(1));
    now = 1000;
    expect(store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });
  it('is bounded: expired entries go first, then the oldest', () => {
    let now = 0;
    const store = new OffTheRecordStore(() => now, 2);
    store.put('a', envelope(1), 100);
    store.put('b', envelope(2), 10_000);
    now = 200;
    store.put('c', envelope(3), 10_000);
    expect(store.get('b')).toBeDefined();
    store.put('d', envelope(4), 10_000);
    expect(store.size).toBe(2);
    expect(store.get('b')).toBeUndefined();
    expect(store.get('d')).toBeDefined();
  });
  it('drops every expired entry on sweep', () => {
    let now = 0;
    const store = new OffTheRecordStore(() => now, 10);
    store.put('a', envelope(1), 10);
    store.put('b', envelope(2), 10);
    now = 11;
    store.sweep();
    expect(store.size).toBe(0);
  });
});
