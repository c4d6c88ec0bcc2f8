/**
 * Waiting for SQLite's write lock without blocking the event loop.
 *
 * better-sqlite3 is synchronous: with a `busy_timeout`, a statement that meets another
 * connection's write lock sleeps inside SQLite, and the whole process (every other request, the
 * static files, the event streams) sleeps with it. So the server's connection runs with
 * `busy_timeout = 0`, and {@link whileBusy} retries a refused unit of work (one statement or one
 * whole transaction, which SQLite rolled back) after a short asynchronous pause, with backoff,
 * until a deadline; past it, the last SQLITE_BUSY error goes to the caller (the API answers 503
 * with Retry-After). Written here because it is this store's own policy: the retry must wrap the
 * store's own transactions, which no generic retry library knows how to re-run safely.
 */

/** SQLITE_BUSY or SQLITE_LOCKED (and their extended codes) from better-sqlite3. */
export function isDatabaseBusy(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return error.name === 'SqliteError' && typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

/** How long a unit of work waits for the lock in all, by default (what `busy_timeout` was). */
export const DEFAULT_BUSY_DEADLINE_MS = 5000;

const FIRST_PAUSE_MS = 2;
const LONGEST_PAUSE_MS = 50;

/** The pauses now running, each ending itself early when the lock is let go (see {@link lockReleased}). */
const pausing = new Set<() => void>();

/** Waits `ms`, or less if the lock is let go meanwhile. */
function pause(ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const end = () => {
      clearTimeout(timer);
      pausing.delete(end);
      resolve();
    };
    const timer = setTimeout(end, ms);
    pausing.add(end);
  });
}

/**
 * Another connection of this process (the checkpointer's, checkpointer.ts) says it has let the
 * write lock go: every unit of work waiting for it runs again now, instead of sleeping out the rest
 * of its pause (up to 75 ms) with the lock already free. Measured with 32 writers for 6 s: a write
 * that met the truncation waited 41-47 ms on average before, 31-43 ms after (the truncation itself
 * holds the lock about 30 ms). A lock held by another process sends no word, and its waiters retry
 * on their pauses alone.
 */
export function lockReleased(): void {
  for (const end of [...pausing]) end();
}

/**
 * Run `work` now; while it fails with SQLITE_BUSY, run it again after a pause (2 ms, doubling up
 * to 50 ms, jittered so that waiting requests do not retry in step) until `deadlineMs` have
 * passed, then throw the busy error. `work` must be one statement or one transaction with no
 * effect outside the database, so that running it again is the same as running it once.
 */
export async function whileBusy<T>(work: () => T | Promise<T>, deadlineMs: number): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof Error) || !isDatabaseBusy(error)) throw error;
  }
  const giveUpAt = performance.now() + deadlineMs;
  for (let wait = FIRST_PAUSE_MS; ; wait = Math.min(wait * 2, LONGEST_PAUSE_MS)) {
    const left = giveUpAt - performance.now();
    await pause(Math.max(0, Math.min(left, wait * (0.5 + Math.random()))));
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof Error) || !isDatabaseBusy(error) || performance.now() >= giveUpAt) throw error;
    }
  }
}
