/**
 * Prepared statements kept for reuse on SQLite. Kysely's SQLite driver prepares every query it
 * runs; the store's queries have a few dozen shapes (the values are parameters), and preparing
 * one costs more CPU than running it, so each SQL text is prepared once. Written here because
 * Kysely takes any object with `prepare` and `close` and offers no cache of its own.
 *
 * With `onCommit`, every run of a statement that may commit (a write, or the end of a transaction)
 * after which no transaction is open is counted (a write or a savepoint's RELEASE inside a
 * transaction commits nothing yet: commit-batches.ts), and `onRun` is called before every statement runs
 * (Kysely's driver and prepared.ts prepare a statement each time they run it), both for
 * durable-commits.ts.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';
import type { DirectConnection, DirectStatement } from './prepared.js';

/** More shapes than the store has (a purge batch's `IN (…)` list varies): the oldest go first. */
const MAX_STATEMENTS = 256;

/** SQLite calls transaction control read-only (it changes nothing itself); its end is what commits. */
const ENDS_TRANSACTION = /^\s*(COMMIT|END|RELEASE)\b/i;

/**
 * `statement` for the cache, calling `onCommit` (when given) after each run: what Kysely runs,
 * and a reader's rows as arrays for prepared queries (better-sqlite3's raw mode).
 */
function cached(statement: Statement, onCommit: (() => void) | undefined): DirectStatement {
  const db = statement.database;
  const after = onCommit
    ? () => {
        if (!db.inTransaction) onCommit();
      }
    : () => undefined;
  let columnNames: string[] | undefined;
  return {
    reader: statement.reader,
    get columnNames() {
      return (columnNames ??= statement.columns().map((c) => c.name));
    },
    all(parameters) {
      try {
        return statement.all(parameters);
      } finally {
        after();
      }
    },
    rawAll(parameters) {
      // Raw mode is the statement's own setting: on for this run only, since Kysely may run the
      // same SQL text expecting objects.
      statement.raw(true);
      try {
        return statement.all(parameters) as unknown[][];
      } finally {
        statement.raw(false);
        after();
      }
    },
    run(parameters) {
      try {
        return statement.run(parameters);
      } finally {
        after();
      }
    },
    // Only reads are streamed; counted all the same, once the statement has started.
    iterate(parameters) {
      const rows = statement.iterate(parameters);
      after();
      return rows;
    },
  };
}

/** `db` for Kysely's SqliteDialect, with each SQL text prepared once; prepared queries run on it directly too (prepared.ts). */
export function cachingStatements(
  db: Database,
  { onCommit, onRun }: { onCommit?: () => void; onRun?: () => void } = {},
): SqliteDatabase & DirectConnection {
  const statements = new Map<string, DirectStatement>();
  return {
    close: () => db.close(),
    held: false,
    inTransaction: () => db.inTransaction,
    prepare(sql) {
      onRun?.();
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = db.prepare(sql);
        statement = cached(prepared, onCommit && (!prepared.readonly || ENDS_TRANSACTION.test(sql)) ? onCommit : undefined);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
