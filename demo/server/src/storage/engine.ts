/**
 * What the store's table groups share: the Kysely instance, how one unit of work runs on each
 * engine, and the few SQL expressions the two dialects spell differently.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { InvitationState } from '@secure-forms/shared';
import { whileBusy } from './busy.js';
import { commitBatches } from './commit-batches.js';
import { runsDirectly, type DirectConnection } from './prepared.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Engine {
  readonly dialect: Dialect;
  readonly db: Kysely<DB>;
  /** One statement: on SQLite retried asynchronously while another connection holds the write lock. */
  readonly run: <T>(work: (db: Kysely<DB>) => Promise<T>) => Promise<T>;
  /**
   * One unit of work, all or nothing. On SQLite with the connection at hand, a unit of the turn's
   * batch (commit-batches.ts: committed at the end of the turn, so not yet when this returns); the
   * batch's transaction is begun IMMEDIATE (the write lock first, so it never fails half-way for
   * want of it), and the unit is retried whole while the lock is held elsewhere. On PostgreSQL a
   * READ COMMITTED transaction, where every conditional write is one UPDATE whose WHERE is
   * re-checked on the row.
   */
  readonly tx: <T>(work: (trx: Kysely<DB>) => Promise<T>) => Promise<T>;
  /** Whether every unit that returned has committed (SQLite's batch: commit-batches.ts). */
  readonly isCommitted: () => boolean;
  /** Resolves once every unit that returned has committed; rejects for good after a batch failed to. */
  readonly committed: () => Promise<void>;
  /** The column that orders rows of equal time by insertion: SQLite's rowid, PostgreSQL's identity `seq`. */
  readonly insertionOrder: RawBuilder<number>;
  /** `state_times` with `state` stamped at `at`, unless it was already entered. */
  readonly stampOnce: (state: InvitationState, at: number) => RawBuilder<string>;
}

const COMMITTED = () => Promise.resolve();

/**
 * The SQLite engine: one better-sqlite3 connection behind Kysely's connection mutex, and the same
 * connection through the dialect's statement cache (`connection`), on which prepared queries run
 * directly (prepared.ts says when) and the units of work of a turn share one transaction
 * (commit-batches.ts).
 */
export function sqliteEngine(db: Kysely<DB>, busyDeadlineMs: number, connection: DirectConnection): Engine {
  runsDirectly(db, connection, false);
  const batches = commitBatches({
    connection,
    exclusive: (end) => db.connection().execute(() => Promise.resolve(end())),
  });
  return {
    dialect: 'sqlite',
    db,
    run: (work) => whileBusy(() => work(db), busyDeadlineMs),
    // The unit holds Kysely's connection (its mutex) while it runs, so queries from elsewhere wait
    // for it; its own prepared queries run in it (runsDirectly).
    tx: (work) =>
      whileBusy(
        () =>
          db.connection().execute(async (t) => {
            const release = runsDirectly(t, connection, true);
            try {
              return await batches.unit(() => work(t));
            } finally {
              release();
            }
          }),
        busyDeadlineMs,
      ),
    isCommitted: batches.isCommitted,
    committed: batches.committed,
    insertionOrder: sql<number>`rowid`,
    // The JSON path is built in SQL, so that the state is a parameter (prepared.ts) as on PostgreSQL.
    stampOnce: (state, at) =>
      sql<string>`CASE WHEN json_extract(state_times, '$.' || ${state}) IS NULL THEN json_set(state_times, '$.' || ${state}, ${at}) ELSE state_times END`,
  };
}

/** The PostgreSQL engine: a pool; a unit of work runs once (a lost connection is the caller's 503). */
export function postgresEngine(db: Kysely<DB>): Engine {
  return {
    dialect: 'postgres',
    db,
    run: (work) => work(db),
    tx: (work) => db.transaction().execute(work),
    isCommitted: () => true,
    committed: COMMITTED,
    insertionOrder: sql<number>`seq`,
    stampOnce: (state, at) =>
      sql<string>`CASE WHEN state_times -> ${state}::text IS NULL THEN state_times || jsonb_build_object(${state}::text, ${at}::bigint) ELSE state_times END`,
  };
}
