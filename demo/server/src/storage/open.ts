/**
 * Open the store the configuration names: PostgreSQL for a `postgres://` URL, else SQLite in the
 * data directory (or on a given better-sqlite3 connection: tests). Migrations run before it returns.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { CamelCasePlugin, Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import type pg from 'pg';
import { join } from 'node:path';
import { cachedAuthReads } from './auth-cache.js';
import { DEFAULT_BUSY_DEADLINE_MS } from './busy.js';
import { setCacheSize } from './cache-size.js';
import { startCheckpointer, type CheckpointOptions } from './checkpointer.js';
import { dataVersionChanges, durableStore, walSync, type OthersCommits, type WalSync } from './durable-commits.js';
import { cachingStatements } from './statement-cache.js';
import { postgresEngine, sqliteEngine } from './engine.js';
import { migrate } from './migrations.js';
import type { DB } from './schema.js';
import { createStore } from './store.js';
import type { Store } from './types.js';

export interface StoreOptions {
  /** `postgres://…`: PostgreSQL; absent: SQLite. */
  databaseUrl?: string;
  /** SQLite: the data directory (the database is `secure-forms.sqlite` in it). */
  dataDir?: string;
  /** SQLite: an open connection to use instead (`:memory:` in tests). */
  sqlite?: SqliteDatabase;
  /** SQLite: how long a write waits, in all, for another connection's write lock; default 5 s. */
  busyDeadlineMs?: number;
  /** SQLite file: how often the log is checkpointed and how long it may grow (tests shorten both). */
  checkpoint?: CheckpointOptions;
  /** SQLite: the page cache in KiB (undefined keeps better-sqlite3's default). */
  sqliteCacheKib?: number;
  /** PostgreSQL: connections in the pool; default 10. */
  poolSize?: number;
  /** PostgreSQL: the longest a statement may run before the server cancels it (503); default 5 s. */
  statementTimeoutMs?: number;
  /** PostgreSQL: the schema to use (tests: one per app); default the server's search_path. */
  schema?: string;
  /** Called with a pool error while no query was running (a connection the server dropped). */
  onIdleError?: (error: Error) => void;
}

/**
 * WAL for a file database; foreign keys on; temporary files in memory; wait up to 5 s for the lock
 * at start (the store lowers it to 0 once open).
 */
export function configureSqlite(db: SqliteDatabase): void {
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  // A unit of work's savepoint (commit-batches.ts) and a statement's journal keep the rows' former
  // pages (transcripts, sealed answers); past 64 KiB SQLite writes them to a temporary file, unlinked
  // but on the disk of the system's temporary directory, outside the data directory. In memory they
  // last only as long as the unit, and cost no file I/O.
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
}

// pg reads BIGINT (epoch milliseconds, counts) as strings, since not every BIGINT fits a double;
// every one this schema holds does (times until the year 287396), so read them as numbers.
const INT8_OID = 20;
/**
 * pg, loaded when a PostgreSQL URL is configured (at start, where `openStore` runs): a SQLite
 * deployment never loads it (with its protocol and type parsers, about 3 MB of heap).
 */
async function loadPg(): Promise<typeof pg> {
  return (await import('pg')).default;
}

/** pg's type parsers, with BIGINT read as a number. */
export function pgTypes(driver: typeof pg): pg.TypeOverrides {
  const types = new driver.TypeOverrides();
  types.setTypeParser(INT8_OID, Number);
  return types;
}

/** Open (and migrate) the store. */
export async function openStore(options: StoreOptions): Promise<Store> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options);
  const connection = options.sqlite ?? new Database(join(options.dataDir ?? '.', 'secure-forms.sqlite'));
  let wal: WalSync | undefined;
  try {
    configureSqlite(connection);
    setCacheSize(connection, options.sqliteCacheKib);
    // A file database: commits write the log without syncing it, and whatever leaves the process
    // waits for an asynchronous sync of the log instead (durable-commits.ts); checkpoints, which sync
    // too, run in a worker (checkpointer.ts). An in-memory database has nothing to sync.
    let others: OthersCommits | undefined;
    if (!connection.memory) {
      connection.pragma('synchronous = NORMAL');
      connection.pragma('wal_autocheckpoint = 0');
      others = dataVersionChanges(connection);
      wal = walSync(`${connection.name}-wal`, others.changed);
    }
    const statements = cachingStatements(connection, { onCommit: wal?.committed, onRun: others?.running });
    const db = new Kysely<DB>({
      dialect: new SqliteDialect({ database: statements }),
      plugins: [new CamelCasePlugin()],
    });
    // At start, before anything is served, the migrations may wait synchronously for the lock.
    // Kysely's Migrator takes no lock on SQLite (it assumes one process), so instances starting
    // together on one data directory would each create the tables: the migrations run inside one
    // IMMEDIATE transaction on this connection, and the others wait for it, then find them done.
    connection.exec('BEGIN IMMEDIATE');
    try {
      await migrate(db.withoutPlugins(), 'sqlite');
      connection.exec('COMMIT');
    } catch (error) {
      if (connection.inTransaction) connection.exec('ROLLBACK');
      throw error;
    }
    // From here on a statement that meets another connection's write lock is retried
    // asynchronously (busy.ts), so that a held lock never freezes the event loop.
    connection.pragma('busy_timeout = 0');
    // Every agent request reads its session and operator: kept in memory until a row changes (auth-cache.ts).
    const store = cachedAuthReads(
      createStore(sqliteEngine(db, options.busyDeadlineMs ?? DEFAULT_BUSY_DEADLINE_MS, statements)),
      connection,
    );
    if (!wal) return store;
    // The migrations committed with the log unsynced: on disk before anything is served.
    wal.committed();
    await wal.durable();
    // Should the worker fail, SQLite checkpoints again itself (on the event loop, but bounded);
    // unless the connection is closed already (its caller closed it, not the store): then there is
    // nothing left to checkpoint, and the worker's failure must not become an uncaught error.
    const checkpointer = startCheckpointer(
      connection.name,
      () => {
        if (connection.open) connection.pragma('wal_autocheckpoint = 1000');
      },
      options.checkpoint,
    );
    return durableStore(store, wal, () => checkpointer.close());
  } catch (error) {
    // The error that stopped the opening is the one to report, not a sync of the log after it.
    await wal?.close().catch(() => undefined);
    if (!options.sqlite) connection.close();
    throw error;
  }
}

async function openPostgres(url: string, options: StoreOptions): Promise<Store> {
  const pg = await loadPg();
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 5000,
    // A request waits at most this for a free connection (or a new one) before it is answered 503.
    connectionTimeoutMillis: 5000,
    types: pgTypes(pg),
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  pool.on('error', (error) => options.onIdleError?.(error));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [new CamelCasePlugin()] });
  try {
    await migrate(db.withoutPlugins(), 'postgres', options.schema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return createStore(postgresEngine(db));
}
