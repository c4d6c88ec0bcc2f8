/**
 * Prepared statements kept for reuse on SQLite. Kysely's SQLite driver prepares every query it
 * runs; the store's queries have a few dozen shapes (the values are parameters), and preparing
 * one costs more CPU than running it, so each SQL text is prepared once. Written here because
 * Kysely takes any object with `prepare` and `close` and offers no cache of its own.
 *
 * With `onCommit`, every run of a statement that may commit (a write outside a transaction, or
 * the end of one) is counted after it ran, and `onRun` is called before every statement runs
 * (Kysely's driver and prepared.ts prepare a statement each time they run it), both for
 * durable-commits.ts.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { DirectConnection } from './prepared.js';

/** More shapes than the store has (a purge batch's `IN (…)` list varies): the oldest go first. */
const MAX_STATEMENTS = 256;

/** SQLite calls transaction control read-only (it changes nothing itself); its end is what commits. */
const ENDS_TRANSACTION = /^\s*(COMMIT|END|RELEASE)\b/i;

/** `statement`, calling `onCommit` after each run. */
function counted(statement: Statement, onCommit: () => void): SqliteStatement {
  return {
    reader: statement.reader,
    all(parameters) {
      try {
        return statement.all(parameters);
      } finally {
        onCommit();
      }
    },
    run(parameters) {
      try {
        return statement.run(parameters);
      } finally {
        onCommit();
      }
    },
    // Only reads are streamed; counted all the same, once the statement has started.
    iterate(parameters) {
      const rows = statement.iterate(parameters);
      onCommit();
      return rows;
    },
  };
}

/** `db` for Kysely's SqliteDialect, with each SQL text prepared once; prepared queries run on it directly too (prepared.ts). */
export function cachingStatements(
  db: Database,
  { onCommit, onRun }: { onCommit?: () => void; onRun?: () => void } = {},
): SqliteDatabase & DirectConnection {
  const statements = new Map<string, SqliteStatement>();
  return {
    close: () => db.close(),
    get inTransaction() {
      return db.inTransaction;
    },
    prepare(sql) {
      onRun?.();
      let statement = statements.get(sql);
      if (!statement) {
        const prepared = db.prepare(sql);
        statement = onCommit && (!prepared.readonly || ENDS_TRANSACTION.test(sql)) ? counted(prepared, onCommit) : prepared;
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
