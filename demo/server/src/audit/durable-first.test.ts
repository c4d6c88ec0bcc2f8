/** An audit line leaves for the audit file only once the commits made before it are durable. */
import { describe, expect, it } from 'vitest';
import type { AuditEntry } from './audit.js';
import { memoryAuditSink } from './audit.js';
import { durableFirst } from './durable-first.js';

/** A store whose commits become durable only when the test says so (or never: `fail`). */
function fakeStore() {
  let pending = 0;
  const waiting: { resolve: () => void; reject: (error: Error) => void }[] = [];
  let failed: Error | undefined;
  return {
    commit: () => void pending++,
    isDurable: () => pending === 0 && !failed,
    durable: () =>
      failed
        ? Promise.reject(failed)
        : pending === 0
          ? Promise.resolve()
          : new Promise<void>((resolve, reject) => waiting.push({ resolve, reject })),
    sync() {
      pending = 0;
      for (const w of waiting.splice(0)) w.resolve();
    },
    fail(error: Error) {
      failed = error;
      for (const w of waiting.splice(0)) w.reject(error);
    },
    get waits() {
      return waiting.length;
    },
  };
}

/** A line told apart from the others by its invitation id. */
const line = (name: string): AuditEntry => ({
  at: '2026-12-05T00:00:00.000Z',
  action: 'invitation.open',
  outcome: 'success',
  actor: 'system',
  invitationId: name,
});
const turn = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A memory sink behind a durable-first sink on a store the test controls. */
function setup() {
  const sink = memoryAuditSink();
  const store = fakeStore();
  return { sink, store, audit: durableFirst(sink, store), written: () => sink.entries.map((e) => e.invitationId) };
}

describe('durableFirst', () => {
  it('writes a line at once when every commit is durable', () => {
    const { audit, written } = setup();
    audit.write(line('one'));
    expect(written()).toEqual(['one']);
  });

  it('holds a line while a commit is not yet durable, and writes it once it is', async () => {
    const { store, audit, written } = setup();
    store.commit();
    audit.write(line('after-commit'));
    await turn();
    expect(written()).toEqual([]);
    store.sync();
    await turn();
    expect(written()).toEqual(['after-commit']);
  });

  it('keeps the order: a line written once everything is durable waits behind the lines still held', async () => {
    const { store, audit, written } = setup();
    store.commit();
    audit.write(line('first'));
    store.sync();
    // Durable now, but the first line is not written yet: the second must not overtake it.
    audit.write(line('second'));
    await turn();
    expect(written()).toEqual(['first', 'second']);
  });

  it('waits again for a line held while a wait was under way: that wait began before its commit', async () => {
    const { store, audit, written } = setup();
    store.commit();
    audit.write(line('first'));
    await turn();
    store.commit();
    audit.write(line('second'));
    // The first wait ends (the fake's sync covers both commits); the second line gets a wait of its own.
    store.sync();
    await turn();
    expect(written()).toEqual(['first', 'second']);
    store.commit();
    audit.write(line('third'));
    await turn();
    expect(store.waits).toBe(1);
    expect(written()).toEqual(['first', 'second']);
    store.sync();
    await turn();
    expect(written()).toEqual(['first', 'second', 'third']);
  });

  it('writes the held lines all the same after a failed sync: auditing never stops silently', async () => {
    const { store, audit, written } = setup();
    store.commit();
    audit.write(line('held'));
    store.fail(new Error('EIO'));
    await turn();
    audit.write(line('later'));
    await turn();
    expect(written()).toEqual(['held', 'later']);
  });

  it('writes what it holds before the sink closes', async () => {
    const { store, audit, written } = setup();
    store.commit();
    audit.write(line('last'));
    const closed = audit.close!();
    store.sync();
    await closed;
    expect(written()).toEqual(['last']);
  });
});
