/**
 * Requests start in turns of the event loop, so that a burst of them never holds the loop for the
 * whole burst.
 *
 * Most of a request's work here is synchronous (better-sqlite3 runs every statement on the
 * thread; hashing, JSON, the response), and everything it does before it waits for the sync of its
 * commit (storage/durable-commits.ts) runs in one go. Node hands the loop every request that
 * arrived since it last looked, and each runs that far before the loop comes round again: at 64
 * connections no timer fired, no event stream was written and no other I/O was looked at for tens
 * of ms at a time. Here a request past the first `perTurn` of a turn waits for the next one; a
 * turn begins at each check phase of the loop (setImmediate), after the timers and the I/O have
 * had their go. Every request starts, in the order it arrived; a quiet server starts each at once.
 * Only the starts are paced: a request that has started never waits here again, and what fails
 * inside it changes nothing here.
 *
 * Written here because it is a few lines over setImmediate; a general job queue would add its own
 * promise and timer per request.
 */
import type { MiddlewareHandler } from 'hono';

/**
 * Requests started per turn of the loop: up to twice this between two looks at timers and I/O
 * (poll phase, then check phase). The bench's load run at 64 connections, on a machine at load
 * 4-5: event-loop delay p99 77-106 ms without turns, 53-62 ms with 8 (16: 60-99 ms, within the
 * noise; 4: 41 ms). Smaller turns split the group commit: one sync of the log covered 50-60 commits
 * without turns, 32-35 with 8 and 20-22 with 4 (more syncs, fewer round trips a second).
 */
export const REQUESTS_PER_TURN = 8;

export function turns(perTurn = REQUESTS_PER_TURN): MiddlewareHandler {
  /** Requests started since the current turn began. */
  let started = 0;
  let scheduled = false;
  const waiting: (() => void)[] = [];

  const schedule = () => {
    if (scheduled || (started === 0 && waiting.length === 0)) return;
    scheduled = true;
    setImmediate(turn);
  };
  function turn(): void {
    scheduled = false;
    started = 0;
    while (started < perTurn && waiting.length > 0) {
      started++;
      waiting.shift()!();
    }
    schedule();
  }

  const go = (next: () => Promise<void>) => {
    schedule();
    return next();
  };
  // Not async: a request that starts at once adds no promise of its own.
  return (_c, next) => {
    if (started < perTurn && waiting.length === 0) {
      started++;
      return go(next);
    }
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => go(next));
  };
}
