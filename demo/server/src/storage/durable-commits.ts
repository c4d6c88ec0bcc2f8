/**
 * Durable commits on SQLite without an fsync on the event loop.
 *
 * With `synchronous = FULL`, SQLite fsyncs the write-ahead log inside every COMMIT: better-sqlite3
 * is synchronous, so every request, static file and event stream waits for the disk (3 ms at the
 * median, tens of ms at p99 on a shared disk), once per commit. The store's connection runs with
 * `synchronous = NORMAL` instead, where a commit only writes the log; and no answer of the store
 * is released until the log is synced past every commit made before it: {@link WalSync.durable}
 * calls `fdatasync` on the `-wal` file on libuv's thread pool, and one sync covers every commit
 * made before it started, so concurrent requests share it (group commit that answers only once the
 * commit is on disk). What a caller is told (an answer, an event, an audit line) therefore never
 * rests on a commit that a power cut could take back, as under FULL.
 *
 * Inside one answer ({@link WalSync.answering}: the API wraps each request in one), a read does not
 * wait by itself: it notes how many commits it may have seen, and the answer waits once, at its
 * end, for the log to be synced past them. A write still waits for its own commit before the
 * request goes on, so whatever follows it (an event, an audit line) rests on a durable commit.
 * Without this a request waited for one sync after every read (a session, an operator, a
 * conversation, an invitation), its state lived through several syncs, and under load the young
 * generation promoted it to the old one: the heap grew to three times what it held (bench, memory).
 *
 * What the answer's context costs: the answer is found through an AsyncLocalStorage, which on
 * Node 20 turns on a promise hook for every promise the process makes (about 170 per API request
 * under the bench's round trips), and V8 then makes one more promise for every `await`. Against a
 * copy of the server whose context was a plain variable (wrong, but as cheap as none), the bench's
 * round trips took 15-20 % less CPU (12 interleaved pairs at concurrency 16 and 64). The bench's
 * profile shows only the hook's own functions under "async hooks", not the promises it adds. Doing
 * without it means passing the answer from the request to the store by hand: the domain services
 * take their store when they are built, once for the process.
 *
 * Why the log alone: in WAL mode a commit writes only the log; the database file changes in
 * checkpoints, which sync it themselves (checkpointer.ts runs them off the event loop). fsync acts
 * on the file, not on the descriptor, so our own read-only descriptor covers what SQLite wrote.
 * Written here because no SQLite driver for Node offers an asynchronous sync of the log.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import fs from 'node:fs';
import type { Store } from './types.js';

/** The log could not be synced: what was committed since may be lost on a power cut. */
export class WalSyncError extends Error {
  constructor(cause: unknown) {
    super(
      'The database log could not be synced to disk, so a recent change may not be durable. Nothing more is accepted: check the disk, then restart the server.',
      { cause },
    );
    this.name = 'WalSyncError';
  }
}

/** One answer being prepared: the commits its reads may have seen, and the commits it made itself. */
interface Answer {
  seen: number;
  writes: number;
  open: boolean;
}

export interface WalSync {
  /** Called after every statement that may have committed (counted by statement-cache.ts). */
  readonly committed: () => void;
  /** Resolves once every commit counted so far is on disk; rejects for good after a failed sync. */
  durable(): Promise<void>;
  /**
   * Run one store call: a write (a call that committed) resolves once its commit is on disk; a
   * read too, unless it runs inside {@link answering}, where it only notes what it may have seen.
   */
  call<T>(work: () => Promise<T>): Promise<T>;
  /** Run `work`, then wait until every commit its reads may have seen is on disk (see the module's comment). */
  answering<T>(work: () => Promise<T>): Promise<T>;
  /** Inside an answer: resolves once what its reads may have seen so far is on disk (before an event leaves); else at once. */
  settled(): Promise<void>;
  /** Wait for a sync in flight, then close the descriptor. */
  close(): Promise<void>;
}

/** The sync of the log at `walPath` (opened at the first sync: SQLite creates it with the first commit). */
export function walSync(walPath: string): WalSync {
  let fd: number | undefined;
  let commits = 0;
  let synced = 0;
  let running: Promise<void> | undefined;
  let failure: WalSyncError | undefined;
  const answers = new AsyncLocalStorage<Answer>();

  const syncOnce = (): Promise<void> => {
    // Everything counted by now was written before the sync starts, so the sync covers it.
    const covers = commits;
    return new Promise<void>((resolve, reject) => {
      fd ??= fs.openSync(walPath, 'r');
      fs.fdatasync(fd, (error) => (error ? reject(error) : resolve()));
    })
      .then(
        () => {
          synced = Math.max(synced, covers);
        },
        (error: unknown) => {
          failure ??= new WalSyncError(error);
        },
      )
      .finally(() => {
        running = undefined;
      });
  };

  /** Resolves once the first `target` commits are on disk. */
  const upTo = async (target: number): Promise<void> => {
    while (synced < target && !failure) {
      running ??= syncOnce();
      await running;
    }
    // After a failed sync nothing is known to be durable any more (the kernel may have dropped
    // the pages it could not write): every answer fails until a restart, as PostgreSQL does.
    if (failure) throw failure;
  };

  return {
    committed: () => {
      commits++;
      // The statement ran synchronously in the caller's context: the commit is this answer's own.
      const answer = answers.getStore();
      if (answer) answer.writes++;
    },
    durable: () => upTo(commits),
    async call(work) {
      const answer = answers.getStore();
      if (!answer?.open) {
        const result = await work();
        await upTo(commits);
        return result;
      }
      const writes = answer.writes;
      const result = await work();
      // A call of the same answer running alongside may have written: then this one waits too.
      if (answer.writes !== writes) await upTo(commits);
      else answer.seen = commits;
      return result;
    },
    async answering(work) {
      const answer: Answer = { seen: 0, writes: 0, open: true };
      try {
        return await answers.run(answer, work);
      } finally {
        // Calls made after this point (a stream that outlives its request) wait by themselves again.
        answer.open = false;
        await upTo(answer.seen);
      }
    },
    settled() {
      const answer = answers.getStore();
      return answer?.open ? upTo(answer.seen) : Promise.resolve();
    },
    async close() {
      await running;
      if (fd !== undefined) fs.closeSync(fd);
    },
  };
}

/** What durableStore adds to the store itself rather than wrapping. */
const OWN = new Set(['answering', 'settled', 'close']);

/**
 * `store` with each answer held until the log is synced past every commit made so far: a write's
 * own commit, and for a read any commit it may have seen (at the end of the answer when inside one).
 */
export function durableStore(store: Store, wal: WalSync, closeFirst: () => Promise<void>): Store {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    if (!OWN.has(name)) wrapped[name] = (...args: unknown[]) => wal.call(() => method(...args));
  }
  wrapped.answering = <T>(work: () => Promise<T>) => wal.answering(work);
  wrapped.settled = () => wal.settled();
  wrapped.close = async () => {
    await closeFirst();
    await store.close();
    await wal.close();
  };
  return wrapped as unknown as Store;
}
