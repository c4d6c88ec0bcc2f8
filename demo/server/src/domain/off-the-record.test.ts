import type { SealedEnvelope } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { MemoryEphemeral } from '../ephemeral/memory.js';
import { OffTheRecordStore } from './off-the-record.js';

const memoryStore = (clock: () => number, maxEntries: number) =>
  new OffTheRecordStore(new MemoryEphemeral(clock).once('otr', maxEntries), clock);

const envelope = (n: number) => ({ protected: `p${n}`, ciphertext: 'c', iv: 'i', tag: 't', recipients: [{}] }) as SealedEnvelope;

describe('OffTheRecordStore', () => {
  it('forgets an entry when its TTL passes', async () => {
    let now = 0;
    const store = memoryStore(() => now, 10);
    await store.put('a', envelope(1), 1000);
    now = 1000;
    expect(await store.take('a')).toEqual({ state: 'expired' });
    expect(await store.count()).toBe(0);
  });

  it('hands an envelope out once: the first take gets it, later ones are told it was handed out', async () => {
    let now = 0;
    const store = memoryStore(() => now, 10);
    await store.put('a', envelope(1), 1000);
    now = 500;
    expect(await store.take('a')).toEqual({ state: 'available', envelope: envelope(1), expiresAt: 1000 });
    expect(await store.count()).toBe(0);
    expect(await store.take('a')).toEqual({ state: 'handed-out' });
    now = 1000;
    expect(await store.take('a')).toEqual({ state: 'expired' });
  });

  it('gives the envelope to exactly one of 50 concurrent takes', async () => {
    const store = memoryStore(() => 0, 10);
    await store.put('a', envelope(1), 1000);
    const taken = await Promise.all(Array.from({ length: 50 }, () => store.take('a')));
    expect(taken.filter((t) => t.state === 'available')).toHaveLength(1);
    expect(taken.filter((t) => t.state === 'handed-out')).toHaveLength(49);
  });

  it('is bounded: expired entries go first, then the oldest', async () => {
    let now = 0;
    const store = memoryStore(() => now, 2);
    await store.put('a', envelope(1), 100);
    await store.put('b', envelope(2), 10_000);
    now = 200;
    await store.put('c', envelope(3), 10_000);
    expect(await store.count()).toBe(2);
    await store.put('d', envelope(4), 10_000);
    expect(await store.count()).toBe(2);
    expect((await store.take('b')).state).toBe('expired');
    expect((await store.take('c')).state).toBe('available');
    expect((await store.take('d')).state).toBe('available');
  });

  it('drops every expired entry on sweep', async () => {
    let now = 0;
    const store = memoryStore(() => now, 10);
    await store.put('a', envelope(1), 10);
    await store.put('b', envelope(2), 10);
    now = 11;
    await store.sweep();
    expect(await store.count()).toBe(0);
  });
});
