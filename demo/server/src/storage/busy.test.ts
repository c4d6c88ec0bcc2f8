/**
 * Waiting for SQLite's write lock (busy.ts): a unit of work refused with SQLITE_BUSY runs again
 * after a pause, and at once when the connection that held the lock (the checkpointer's) says it
 * has let it go, rather than at the end of a pause of up to 75 ms.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockReleased, whileBusy } from './busy.js';

/** An error as better-sqlite3 throws it for another connection's write lock. */
function busyError(): Error {
  return Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });
}

/** Work refused `times` times, then done; counts its runs. */
function refusedTimes(times: number) {
  const work = Object.assign(
    () => {
      work.runs++;
      if (work.runs <= times) throw busyError();
      return 'done';
    },
    { runs: 0 },
  );
  return work;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('whileBusy', () => {
  it('runs the work again after a pause while the lock is held, and gives up with the busy error past its deadline', async () => {
    vi.useFakeTimers();
    const work = refusedTimes(Infinity);
    const outcome = whileBusy(work, 1000).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1000);
    expect(work.runs).toBeGreaterThan(10);
    expect(await outcome).toMatchObject({ code: 'SQLITE_BUSY' });
  });

  it('runs the work again at once when the lock is let go, without waiting out its pause', async () => {
    vi.useFakeTimers();
    const work = refusedTimes(2);
    const outcome = whileBusy(work, 5000);
    expect(work.runs).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    lockReleased();
    await vi.advanceTimersByTimeAsync(0);
    expect(work.runs).toBe(2);
    lockReleased();
    await vi.advanceTimersByTimeAsync(0);
    expect(work.runs).toBe(3);
    await expect(outcome).resolves.toBe('done');
  });

  it('wakes every waiting unit of work, each once, and leaves no timer behind', async () => {
    vi.useFakeTimers();
    const works = [refusedTimes(1), refusedTimes(1), refusedTimes(1)];
    const outcomes = works.map((work) => whileBusy(work, 5000));
    await vi.advanceTimersByTimeAsync(0);
    lockReleased();
    await expect(Promise.all(outcomes)).resolves.toEqual(['done', 'done', 'done']);
    expect(works.map((work) => work.runs)).toEqual([2, 2, 2]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('passes any other error through at once', async () => {
    const failure = new Error('constraint failed');
    await expect(
      whileBusy(() => {
        throw failure;
      }, 5000),
    ).rejects.toBe(failure);
  });
});
