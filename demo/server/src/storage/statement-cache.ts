/**
 * Prepared statements kept for reuse on SQLite. Kysely's SQLite driver prepares every query it
 * runs; the store's queries have a few dozen shapes (the values are parameters), and preparing
 * one costs more CPU than running it, so each SQL text is prepared once. Written here because
 * Kysely takes any object with `prepare` and `close` and offers no cache of its own.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/** More shapes than the store has (a purge batch's `IN (…)` list varies): the oldest go first. */
const MAX_STATEMENTS = 256;

/** `db` for Kysely's SqliteDialect, with each SQL text prepared once. */
export function cachingStatements(db: Database): SqliteDatabase {
  const statements = new Map<string, Statement>();
  return {
    close: () => db.close(),
    prepare(sql) {
      let statement = statements.get(sql);
      if (!statement) {
        statement = db.prepare(sql);
        if (statements.size >= MAX_STATEMENTS) statements.delete(statements.keys().next().value!);
        statements.set(sql, statement);
      }
      return statement;
    },
  };
}
