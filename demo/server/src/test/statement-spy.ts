/**
 * What a test's requests ask of the database, seen from the drivers: every statement
 * better-sqlite3 runs (SQLite), every query node-postgres sends (PostgreSQL). For tests that bound
 * how many statements, or which writes, a request costs. Restore with `vi.restoreAllMocks()`.
 */
import Database from 'better-sqlite3';
import pg from 'pg';
import { vi } from 'vitest';

/** A statement as the spy saw it: its SQL text, and whether it writes or opens a write transaction. */
export interface SpiedStatement {
  sql: string;
  writes: boolean;
}

/** better-sqlite3's Statement prototype, whose methods every statement runs through. */
function statementPrototype(): Record<'run' | 'all' | 'get' | 'iterate', (...args: unknown[]) => unknown> {
  return Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<
    'run' | 'all' | 'get' | 'iterate',
    (...args: unknown[]) => unknown
  >;
}

/** SQLite statements that begin a transaction or change the database; PostgreSQL's the same by their first word. */
const WRITE_SQL = /^\s*(BEGIN|INSERT|UPDATE|DELETE|REPLACE|UPSERT|MERGE)\b/i;

/**
 * Record every statement run from now on, on either engine. `PRAGMA data_version` is left out: it
 * reads a counter in SQLite's shared log index, not the database (storage/auth-cache.ts reads it
 * before answering from memory).
 */
export function spyOnStatements(): SpiedStatement[] {
  const ran: SpiedStatement[] = [];
  const statement = statementPrototype();
  for (const method of ['run', 'all', 'get', 'iterate'] as const) {
    const original = statement[method];
    vi.spyOn(statement, method).mockImplementation(function (this: Database.Statement, ...args: unknown[]) {
      if (!/^PRAGMA data_version$/i.test(this.source))
        ran.push({ sql: this.source, writes: !this.readonly || WRITE_SQL.test(this.source) });
      return original.apply(this, args);
    });
  }
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = client.query;
  vi.spyOn(client, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const [first] = args;
    const sql = typeof first === 'string' ? first : ((first as { text?: string } | undefined)?.text ?? '');
    ran.push({ sql, writes: WRITE_SQL.test(sql) });
    return query.apply(this, args);
  });
  return ran;
}

/**
 * Count the reads of `PRAGMA data_version` from now on, on any connection (the reads
 * {@link spyOnStatements} leaves out). Restore with `vi.restoreAllMocks()`.
 */
export function countDataVersionReads(): { readonly count: number } {
  const statement = statementPrototype();
  const original = statement.get;
  const counter = { count: 0 };
  vi.spyOn(statement, 'get').mockImplementation(function (this: Database.Statement, ...args: unknown[]) {
    if (/^PRAGMA data_version$/i.test(this.source)) counter.count++;
    return original.apply(this, args);
  });
  return counter;
}
