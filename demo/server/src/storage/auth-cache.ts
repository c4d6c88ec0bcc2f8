/**
 * The session and operator rows that every agent request reads, kept in memory on SQLite.
 *
 * Authenticating an agent's request reads its session and its operator: two statements per
 * request, with the same answer until one of the two rows changes. Here the answers are kept, and
 * every way a row can change empties the cache before anyone can read it again:
 *
 * - a change through this connection (any statement: a sign-out, a lock, a role change, a
 *   password change, a purge, whichever store method makes it, today's or one added later) fires a
 *   TEMP trigger on the two tables, which calls back into this process while the statement runs;
 * - a change by another connection to the same file (another process on a shared data directory,
 *   a command-line tool) changes `PRAGMA data_version`, read before every answer from the cache.
 *
 * So an ended session, a locked operator or a changed role takes effect on the very next request,
 * as without the cache. A read that was under way while the cache was emptied does not fill it
 * (its row may be the one just changed). Only SQLite: on PostgreSQL several instances change the
 * rows, and every request reads them (docs/deployment.md).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { OperatorRow, SessionRow, Store } from './types.js';

/** Sessions and operators kept at most (each a few hundred bytes); past it the cache starts again. */
const MAX_ENTRIES = 2000;

/** The SQL function the triggers call. */
const CHANGED = 'secure_forms_auth_rows_changed';

/** `store` with findSession and findOperator answered from memory while their rows are unchanged. */
export function cachedAuthReads(store: Store, connection: Database): Store {
  const sessions = new Map<string, SessionRow>();
  const operators = new Map<string, OperatorRow>();
  // Emptying bumps the generation: a read that began before must not fill the cache.
  let generation = 0;
  const empty = () => {
    generation++;
    sessions.clear();
    operators.clear();
  };
  connection.function(CHANGED, { deterministic: false, directOnly: false }, () => {
    empty();
    return null;
  });
  for (const table of ['sessions', 'operators']) {
    for (const change of ['INSERT', 'UPDATE', 'DELETE']) {
      connection.exec(
        `CREATE TEMP TRIGGER IF NOT EXISTS secure_forms_${table}_${change.toLowerCase()} AFTER ${change} ON main.${table} BEGIN SELECT ${CHANGED}(); END`,
      );
    }
  }
  const dataVersion: Statement<[], number> = connection.prepare<[], number>('PRAGMA data_version').pluck();
  let seenVersion = dataVersion.get();
  /** Empty the cache when another connection has committed since the last look. */
  const current = () => {
    const version = dataVersion.get();
    if (version !== seenVersion) {
      seenVersion = version;
      empty();
    }
  };

  /** The cached answer for `key`, else `read` it (and keep it when nothing changed meanwhile). */
  function through<Row extends object>(cache: Map<string, Row>, key: string, read: () => Promise<Row | undefined>) {
    current();
    const hit = cache.get(key);
    if (hit) return Promise.resolve(hit);
    const before = generation;
    // A row read while another connection changed it is cached stale only until the next look,
    // which sees the new data_version first.
    return read().then((row) => {
      if (row && generation === before) {
        if (cache.size >= MAX_ENTRIES) empty();
        cache.set(key, freeze(row));
      }
      return row;
    });
  }

  return {
    ...store,
    findSession: (tokenHash) => through(sessions, tokenHash, () => store.findSession(tokenHash)),
    findOperator: (id) => through(operators, id, () => store.findOperator(id)),
  };
}

/** The row, and the arrays in it, made read-only: every caller shares the cached object. */
function freeze<Row extends object>(row: Row): Row {
  for (const value of Object.values(row)) if (Array.isArray(value)) Object.freeze(value);
  return Object.freeze(row);
}
