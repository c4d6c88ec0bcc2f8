/**
 * Group commit on SQLite: the units of work of one turn of the event loop share one transaction.
 *
 * A unit of work (Engine.tx: an open, a submission, a retrieval) used to be a transaction of its
 * own, BEGIN IMMEDIATE to COMMIT. Under load many run in one turn of the event loop (a few
 * requests start per turn, middleware/turns), one after another, and each COMMIT wrote every page
 * it had changed to the log again: the last page of the messages, keys and invitations tables and
 * of their indexes, which every unit changes. The bench's round trip wrote about 35 pages of log
 * in its four commits. Now the first unit of a turn begins the transaction, each later one runs in
 * a savepoint of it, and the transaction commits at the end of the turn (setImmediate): a page
 * changed by eight units is written once. Measured with the bench's round trips at concurrency 64,
 * four interleaved pairs against one transaction per unit: about 15 pages of log per round trip
 * instead of 35, CPU per round trip 1.76 → 1.67 ms, 669 → 703 round trips/s. The savepoints cost
 * part of it back (each copies the pages its unit changes first: a few µs per write).
 *
 * Nothing leaves before the batch has committed: a unit's work is not committed when it returns,
 * so {@link CommitBatches.committed} is part of Store.durable, which every way out of the process
 * waits for (durable-commits.ts lists them), before the sync of the log that makes the commit
 * durable. A unit's own failure rolls back its savepoint only (the first unit's, the transaction,
 * which holds nothing else yet); the other units' work stays in the batch.
 *
 * A batch whose COMMIT fails (the disk full, an I/O error) takes back what its units did after
 * they returned, and whatever read their rows meanwhile may rest on them: as after a failed sync
 * of the log (durable-commits.ts), nothing is durable again until a restart, and every answer
 * fails with {@link BatchCommitError}.
 *
 * Written here because it is this store's own policy: which statements share a transaction, and
 * what a unit's failure takes back, follow from its units of work.
 */
import { isDatabaseBusy } from './busy.js';
import type { DirectConnection } from './prepared.js';

/** A batch of units could not be committed: what they wrote is gone, though they had returned. */
export class BatchCommitError extends Error {
  constructor(cause: unknown) {
    super(
      'The database could not commit recent changes (is the disk full or failing?), so some changes already reported done are lost. Nothing more is accepted: check the disk, then restart the server.',
      { cause },
    );
    this.name = 'BatchCommitError';
  }
}

export interface CommitBatches {
  /**
   * Run `work` as one unit of the open batch (beginning one, IMMEDIATE, if none is open). The
   * caller holds the connection (Kysely's connection mutex) until this settles, so that no other
   * statement runs in the middle of the unit; a BEGIN refused for another connection's write lock
   * throws SQLITE_BUSY before anything ran (engine.ts retries the unit).
   */
  unit<T>(work: () => Promise<T>): Promise<T>;
  /** Whether no batch is waiting to commit, and none failed. */
  readonly isCommitted: () => boolean;
  /** Resolves once the batch open now (if any) has committed; rejects for good after a failed commit. */
  readonly committed: () => Promise<void>;
}

/** How the batches reach the connection. */
export interface BatchConnection {
  readonly connection: DirectConnection;
  /** Run `end` while holding the connection (Kysely's connection mutex): after the unit holding it, if any. */
  readonly exclusive: (end: () => void) => Promise<void>;
}

interface Batch {
  readonly done: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

const COMMITTED = Promise.resolve();

function newBatch(): Batch {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const done = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A batch nobody waited for may still fail: the failure is every later answer's, not an unhandled rejection.
  done.catch(() => undefined);
  return { done, resolve, reject };
}

/** Batches of units on `connection`, each committed at the end of the turn of the event loop it began in. */
export function commitBatches({ connection, exclusive }: BatchConnection): CommitBatches {
  // SQLite may end a transaction itself on some errors: it is asked, not remembered.
  const inTransaction = () => connection.inTransaction();
  const run = (sql: string) => connection.prepare(sql).run([]);
  let open: Batch | undefined;
  let failure: BatchCommitError | undefined;

  const fail = (batch: Batch, cause: unknown) => {
    failure ??= new BatchCommitError(cause);
    if (open === batch) open = undefined;
    batch.reject(failure);
  };

  const commit = (batch: Batch) =>
    exclusive(() => {
      if (open !== batch) return;
      try {
        run('COMMIT');
      } catch (error) {
        // A COMMIT that never ran is tried again on the next turn: better-sqlite3 refuses every
        // statement (a TypeError) while a read is still being iterated on the connection, and
        // SQLite refuses one (SQLITE_BUSY) under a read still stepping. A COMMIT that failed is
        // rolled back, here if SQLite has not done so itself.
        const refused = error instanceof TypeError || (error instanceof Error && isDatabaseBusy(error));
        if (refused && inTransaction()) {
          setImmediate(() => void commit(batch));
          return;
        }
        if (inTransaction()) run('ROLLBACK');
        fail(batch, error);
        return;
      }
      open = undefined;
      batch.resolve();
    }).catch((error: unknown) => {
      // The connection is gone (closed without the store's close, which commits first).
      if (open === batch) fail(batch, error);
    });

  return {
    async unit(work) {
      if (failure) throw failure;
      const batch = open;
      if (!batch) {
        run('BEGIN IMMEDIATE');
        const begun = (open = newBatch());
        setImmediate(() => void commit(begun));
      } else {
        run('SAVEPOINT unit');
      }
      connection.held = true;
      try {
        const result = await work();
        if (batch) run('RELEASE unit');
        return result;
      } catch (error) {
        rollBack(batch, error);
        throw error;
      } finally {
        connection.held = false;
      }
    },
    isCommitted: () => !open && !failure,
    committed: () => (failure ? Promise.reject(failure) : (open?.done ?? COMMITTED)),
  };

  /** Take back the failed unit: its savepoint, or (the batch's first unit) the transaction. */
  function rollBack(batch: Batch | undefined, error: unknown) {
    const own = open;
    if (!own) return;
    if (!inTransaction()) {
      // SQLite rolled the whole transaction back itself (some I/O and memory errors do): the
      // earlier units' work is gone with it.
      if (batch) {
        fail(own, error);
      } else {
        open = undefined;
        own.resolve();
      }
      return;
    }
    try {
      if (batch) {
        run('ROLLBACK TO unit');
        run('RELEASE unit');
      } else {
        run('ROLLBACK');
        // Nothing else ran in it: the batch is over, and nobody waits for it.
        open = undefined;
        own.resolve();
      }
    } catch (rollbackError) {
      fail(own, rollbackError);
    }
  }
}
