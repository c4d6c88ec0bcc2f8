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
 * Why the log alone: in WAL mode a commit writes only the log; the database file changes in
 * checkpoints, which sync it themselves (checkpointer.ts runs them off the event loop). fsync acts
 * on the file, not on the descriptor, so our own read-only descriptor covers what SQLite wrote.
 * Written here because no SQLite driver for Node offers an asynchronous sync of the log.
 */
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
  /** Resolves once every commit counted so far is on disk; rejects for good after a failed sync. */
  durable(): Promise<void>;
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

  return {
    committed: () => {
      commits++;
    },
    async durable() {
      const target = commits;
      while (synced < target && !failure) {
        running ??= syncOnce();
        await running;
      }
      // After a failed sync nothing is known to be durable any more (the kernel may have dropped
      // the pages it could not write): every answer fails until a restart, as PostgreSQL does.
      if (failure) throw failure;
    },
    async close() {
      await running;
      if (fd !== undefined) fs.closeSync(fd);
    },
  };
}

/**
 * `store` with each answer held until the log is synced past every commit made so far: a write's
 * own commit, and for a read any commit it may have seen.
 */
export function durableStore(store: Store, wal: WalSync, closeFirst: () => Promise<void>): Store {
  const wrapped: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(store) as [string, (...args: unknown[]) => Promise<unknown>][]) {
    wrapped[name] = async (...args: unknown[]) => {
      const result = await method(...args);
      await wal.durable();
      return result;
    };
  }
  wrapped.close = async () => {
    await closeFirst();
    await store.close();
    await wal.close();
  };
  return wrapped as unknown as Store;
}
