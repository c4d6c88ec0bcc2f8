/**
 * What the store's table groups share: the Kysely instance, how one unit of work runs on each
 * engine, and the few SQL expressions the two dialects spell differently.
 */
import { CompiledQuery, sql, type Kysely, type RawBuilder } from 'kysely';
import type { InvitationState } from '@secure-forms/shared';
import { whileBusy } from './busy.js';
import { runsDirectly, type DirectConnection } from './prepared.js';
import type { DB } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

export interface Engine {
  readonly dialect: Dialect;
  readonly db: Kysely<DB>;
  /** One statement: on SQLite retried asynchronously while another connection holds the write lock. */
  readonly run: <T>(work: (db: Kysely<DB>) => Promise<T>) => Promise<T>;
  /**
   * One transaction: on SQLite begun IMMEDIATE (the write lock first, so it never fails half-way
   * for want of it) and retried whole while the lock is held elsewhere; on PostgreSQL READ
   * COMMITTED, where every conditional write is one UPDATE whose WHERE is re-checked on the row.
   */
  readonly tx: <T>(work: (trx: Kysely<DB>) => Promise<T>) => Promise<T>;
  /** The column that orders rows of equal time by insertion: SQLite's rowid, PostgreSQL's identity `seq`. */
  readonly insertionOrder: RawBuilder<number>;
  /** `state_times` with `state` stamped at `at`, unless it was already entered. */
  readonly stampOnce: (state: InvitationState, at: number) => RawBuilder<string>;
}

// Compiled once: they run twice in every write of the round trip.
const BEGIN_IMMEDIATE = CompiledQuery.raw('BEGIN IMMEDIATE');
const COMMIT = CompiledQuery.raw('COMMIT');
const ROLLBACK = CompiledQuery.raw('ROLLBACK');

/**
 * The SQLite engine: one better-sqlite3 connection behind Kysely's connection mutex. With
 * `connection` (the same connection, through the dialect's statement cache), prepared queries and
 * a transaction's BEGIN and COMMIT run on it directly (prepared.ts says when).
 */
export function sqliteEngine(db: Kysely<DB>, busyDeadlineMs: number, connection?: DirectConnection): Engine {
  if (connection) runsDirectly(db, connection, false);
  /** Run `query` on the transaction's connection `t`: directly when the engine has it, else through Kysely. */
  const control = async (t: Kysely<DB>, query: CompiledQuery): Promise<void> => {
    if (connection) connection.prepare(query.sql).run([]);
    else await t.executeQuery(query);
  };
  return {
    dialect: 'sqlite',
    db,
    run: (work) => whileBusy(() => work(db), busyDeadlineMs),
    // Kysely's own transaction() begins DEFERRED; IMMEDIATE takes the write lock up front. The
    // transaction holds Kysely's connection (its mutex) from BEGIN to COMMIT, so queries from
    // elsewhere wait for it; its own prepared queries run in it (runsDirectly).
    tx: (work) =>
      whileBusy(
        () =>
          db.connection().execute(async (t) => {
            const release = connection && runsDirectly(t, connection, true);
            try {
              await control(t, BEGIN_IMMEDIATE);
              try {
                const result = await work(t);
                await control(t, COMMIT);
                return result;
              } catch (error) {
                await control(t, ROLLBACK).catch(() => undefined);
                throw error;
              }
            } finally {
              release?.();
            }
          }),
        busyDeadlineMs,
      ),
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
    insertionOrder: sql<number>`seq`,
    stampOnce: (state, at) =>
      sql<string>`CASE WHEN state_times -> ${state}::text IS NULL THEN state_times || jsonb_build_object(${state}::text, ${at}::bigint) ELSE state_times END`,
  };
}
