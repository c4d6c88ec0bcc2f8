/**
 * Durable commits on SQLite without an fsync on the event loop.
 *
 * With `synchronous = FULL`, SQLite fsyncs the write-ahead log inside every COMMIT: better-sqlite3
 * is synchronous, so every request, static file and event stream waits for the disk (3 ms at the
 * median, tens of ms at p99 on a shared disk), once per commit. The store's connection runs with
 * `synchronous = NORMAL` instead, where a commit only writes the log, and nothing leaves the
 * process until the log is synced past every commit made before it: {@link WalSync.durable} calls
 * `fdatasync` on the `-wal` file on libuv's thread pool, and one sync covers every commit made
 * before it started, so concurrent requests share it (group commit that answers only once the
 * commit is on disk). What anyone outside is told therefore never rests on a commit that a power
 * cut could take back, as under FULL.
 *
 * Where the waiting happens: at the ways out of the process, not in the store. A store call (a
 * read or a write) returns as soon as its statements have run, a unit of work even before its
 * batch has committed (commit-batches.ts); whatever leaves waits first for Store.durable (the
 * open batch's commit, then {@link WalSync.durable}), which covers every commit made so far, and
 * so every commit the leaving thing may rest on, whoever made it:
 *
 * - a response (middleware/durable-answers, on every route of the PCI origin);
 * - an event, to a stream of this instance or through Redis to another (app.ts);
 * - a webhook delivery (jobs/webhooks/sender.ts);
 * - an audit line (audit/durable-first.ts);
 * - what a command-line tool prints (cli.ts).
 *
 * A new way out must wait the same way (tests: durable-exits.test.ts,
 * audit/durable-first.test.ts, cli.test.ts).
 * Why not inside the store: it would have to tell whose commit is whose, through an
 * AsyncLocalStorage for the request. On Node 20 that turns on a promise hook for every promise the
 * process makes (about 170 per API request under the bench's round trips), and V8 then makes one
 * more promise for every `await`: the bench's round trips took 15-20 % more CPU with it (12
 * interleaved pairs at concurrency 16 and 64, and three rounds against this design: 10-29 % at
 * concurrency 16, 16-29 % at 64 in the two quiet ones). Waiting after every store call instead
 * holds a request through several syncs, and under load the young generation promoted its state
 * to the old one: the heap grew to three times what it held (bench, memory).
 *
 * Commits by another process on the same file (an instance during a rolling restart, an operator
 * command) count too: under `synchronous = NORMAL` such a commit is visible here before that
 * process has synced it, and what this process reads of it and says must not outlive a power cut
 * either. Another connection's commit changes `PRAGMA data_version`, looked at whenever something
 * is about to leave ({@link WalSync.isDurable}) and a statement has run here since the last look
 * ({@link OthersCommits}); a change counts as a commit of our own, and the same sync of the shared
 * log covers it.
 *
 * Why the log alone: in WAL mode a commit writes only the log; the database file changes in
 * checkpoints, which sync it themselves (checkpointer.ts runs them off the event loop). fsync acts
 * on the file, not on the descriptor, so our own read-only descriptor covers what SQLite wrote.
 * Written here because no SQLite driver for Node offers an asynchronous sync of the log.
 */
import type { Database } from 'better-sqlite3';
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

export interface WalSync {
  /** Called after every statement that may have committed (counted by statement-cache.ts). */
  readonly committed: () => void;
  /**
   * Whether every commit counted so far is on disk (false for good after a failed sync); another
   * connection's commits since the last look are counted first.
   */
  readonly isDurable: () => boolean;
  /** Resolves once every commit counted so far is on disk; rejects for good after a failed sync. */
  readonly durable: () => Promise<void>;
  /**
   * As {@link durable}, for a caller that knows this turn's commits are made (a batch's commit,
   * commit-batches.ts): a sync it has to begin begins at once, not at the end of the turn.
   */
  readonly durableNow: () => Promise<void>;
  /** Sync what is left (unless a sync failed already), then close the descriptor. */
  close(): Promise<void>;
}

const DURABLE = Promise.resolve();

/**
 * The sync of the log at `walPath` (opened at the first sync: SQLite creates it with the first
 * commit). `othersCommitted` says whether another connection to the file has committed since it
 * was last asked (open.ts reads `PRAGMA data_version`).
 */
export function walSync(walPath: string, othersCommitted: () => boolean = () => false): WalSync {
  let fd: number | undefined;
  let commits = 0;
  let synced = 0;
  let running: Promise<void> | undefined;
  let failure: WalSyncError | undefined;

  /**
   * One sync of the log, begun at the end of this turn of the event loop (setImmediate) rather
   * than at once: the requests that start in one turn (middleware/turns) commit one after another,
   * and a sync begun at the first one's wait covered that commit only, so the others waited for it
   * to end and then for one more. Begun after them, one sync covers the whole turn's commits; on a
   * quiet loop the check phase comes at once. Each sync costs about 0.1 ms of CPU (in the kernel,
   * on the bench's virtual disk). The bench's round trips, interleaved with the same code syncing
   * at once: syncs per round trip 0.61 → 0.33 at concurrency 64 (1.0 → 0.66 at 16), CPU per round
   * trip 2.28 → 2.12 ms (2.44 → 2.33), 528 → 556 round trips/s, p99 49-55 → 50-52 ms. `now`: at
   * once, when the turn's commits are made already.
   */
  const syncOnce = (now: boolean): Promise<void> =>
    new Promise<number>((resolve, reject) => {
      const begin = () => {
        // Everything counted by now was written before the sync starts, so the sync covers it.
        const covers = commits;
        try {
          fd ??= fs.openSync(walPath, 'r');
        } catch (error) {
          reject(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        fs.fdatasync(fd, (error) => (error ? reject(error) : resolve(covers)));
      };
      if (now) begin();
      else setImmediate(begin);
    })
      .then(
        (covers) => {
          synced = Math.max(synced, covers);
        },
        (error: unknown) => {
          failure ??= new WalSyncError(error);
        },
      )
      .finally(() => {
        running = undefined;
      });

  /** Resolves once the first `target` commits are on disk; the first sync it begins begins at once when `now`. */
  const upTo = async (target: number, now = false): Promise<void> => {
    for (let first = true; synced < target && !failure; first = false) {
      running ??= syncOnce(now && first);
      await running;
    }
    // After a failed sync nothing is known to be durable any more (the kernel may have dropped
    // the pages it could not write): every answer fails until a restart, as PostgreSQL does.
    if (failure) throw failure;
  };

  const isDurable = () => {
    if (othersCommitted()) commits++;
    return synced >= commits && !failure;
  };
  return {
    committed: () => {
      commits++;
    },
    isDurable,
    durable: () => (isDurable() ? DURABLE : upTo(commits)),
    durableNow: () => (isDurable() ? DURABLE : upTo(commits, true)),
    async close() {
      try {
        // A failure already known has been every answer's since: closing need not report it again.
        if (!failure) await upTo(commits);
      } finally {
        if (fd !== undefined) fs.closeSync(fd);
      }
    },
  };
}

/** What this process can learn of the commits other connections make to its file. */
export interface OthersCommits {
  /** Called before every statement this process runs on the connection (statement-cache.ts). */
  readonly running: () => void;
  /**
   * Whether another connection to the file has committed since the last call, looked at only when
   * a statement has run here since then: an answer can rest on another connection's commit only
   * through a statement that read it, so with none run there is nothing new to count, and the
   * look is skipped. Under the bench's round trips this skipped about two looks in three (every
   * audit line and event after a request's answer), each about 7 µs under load.
   */
  readonly changed: () => boolean;
}

/**
 * The commits of other connections to `connection`'s file: `PRAGMA data_version` changes only for
 * their commits, never for this connection's own.
 */
export function dataVersionChanges(connection: Database): OthersCommits {
  const dataVersion = connection.prepare<[], number>('PRAGMA data_version').pluck();
  let seen = dataVersion.get();
  let ranSinceLook = false;
  return {
    running: () => {
      ranSinceLook = true;
    },
    changed: () => {
      // Closed: nothing more can be read through it, so nothing more can rest on another's commit.
      if (!ranSinceLook || !connection.open) return false;
      ranSinceLook = false;
      const version = dataVersion.get();
      if (version === seen) return false;
      seen = version;
      return true;
    },
  };
}

/**
 * `store` with `durable` and `isDurable` answered by its own (the open batch's commit,
 * commit-batches.ts), then by `wal`; closing it stops `closeFirst` (the checkpointer), commits the
 * open batch, syncs what is left of the log, then closes the connection.
 */
export function durableStore(store: Store, wal: WalSync, closeFirst: () => Promise<void>): Store {
  return {
    ...store,
    isDurable: () => store.isDurable() && wal.isDurable(),
    // The batch commits first (its commit is then counted), at the end of the turn: a sync then
    // begins at once, rather than after the next turn's I/O.
    durable: () => (store.isDurable() ? wal.durable() : store.durable().then(wal.durableNow)),
    async close() {
      await closeFirst();
      try {
        await store.durable().catch(() => undefined);
        await wal.close();
      } finally {
        await store.close();
      }
    },
  };
}
