/**
 * Statements of the hot path built and compiled by Kysely once, then run with new values.
 *
 * Kysely builds a query's tree and compiles it to SQL on every call (immutable builders, a visitor
 * over the tree, the CamelCasePlugin renaming every identifier), which costs more CPU than SQLite
 * takes to run the statement. A prepared query is built once with a placeholder for each value
 * that changes; each call puts the values into the compiled query's parameters.
 *
 * On PostgreSQL the query runs through Kysely's executor (the pool, an open transaction, the
 * plugins' row transform). On SQLite it runs on the connection itself (see {@link runsDirectly}):
 * better-sqlite3 is synchronous, and Kysely's executor wraps each statement in a dozen promises
 * (its connection mutex, the connection provider, the plugins' transform), which cost more than
 * the statement; the rows get the same camelCase names as the plugin gives them.
 *
 * Written here because Kysely has no parameterised prepared queries of its own (its issues point
 * to a third-party package that does not follow Kysely 0.28).
 */
import { CamelCasePlugin, CompiledQuery, type Compilable, type Kysely, type QueryResult, type SqliteStatement } from 'kysely';
import type { DB } from './schema.js';

/** The placeholder of the value named `name`: it travels through Kysely as a value, becoming a parameter. */
class Placeholder {
  constructor(readonly name: string) {}
}

/**
 * What a prepared query is built with: `v.hash` stands for the `hash` of the values passed to each
 * run, typed as that value so that the builder accepts it.
 */
const placeholders = new Proxy({}, { get: (_, name) => new Placeholder(String(name)) });

/** A statement a prepared query runs directly: Kysely's, and a reader's rows as arrays. */
export interface DirectStatement extends SqliteStatement {
  /** A reader's rows as arrays of values in column order. */
  rawAll(parameters: readonly unknown[]): unknown[][];
  /** A reader's result columns' names. */
  readonly columnNames: readonly string[];
}

/** A SQLite connection that prepared queries may run on directly. */
export interface DirectConnection {
  /** The statement of `sql`, prepared once (statement-cache.ts, which also counts the runs that commit). */
  prepare(sql: string): DirectStatement;
  /**
   * Whether a unit of work (Engine.tx) holds the connection: set by commit-batches.ts while one
   * runs. Between units a batch's transaction may be open; a statement from outside a unit runs in
   * it then, and commits with it.
   */
  held: boolean;
  /** Whether SQLite has a transaction open on the connection (a batch's: commit-batches.ts). */
  inTransaction(): boolean;
}

/** How a store's Kysely (or a transaction's) reaches its SQLite connection directly. */
interface Direct {
  connection: DirectConnection;
  /** A transaction's own Kysely: it holds the connection, so its statements run in its transaction. */
  holdsTransaction: boolean;
}

const directs = new WeakMap<Kysely<DB>, Direct>();

/**
 * Let prepared queries on `d` run on `connection` directly. The store's own Kysely
 * (`holdsTransaction` false) runs them only while no unit of work holds the connection: one that
 * holds it is in the middle of its work (its statements interleave with others at its awaits), so
 * the statement goes through Kysely's executor and waits for its connection mutex, as every other
 * query does, instead of joining (and sharing the fate of) that unit. A
 * transaction's Kysely (`holdsTransaction` true, registered by the engine for as long as it runs)
 * holds the connection and runs them in its transaction. Returns the function that takes it back.
 */
export function runsDirectly(d: Kysely<DB>, connection: DirectConnection, holdsTransaction: boolean): () => void {
  directs.set(d, { connection, holdsTransaction });
  return () => directs.delete(d);
}

/** Column names as the store's CamelCasePlugin gives them (`created_at` → `createdAt`). */
class ColumnNames extends CamelCasePlugin {
  readonly of = (column: string) => this.camelCase(column);
}
const columnNames = new ColumnNames();

/** A query compiled once per engine; `run(d, values)` runs it on `d` (the store's Kysely, or a transaction). */
export interface Prepared<Row, V extends object> {
  run(d: Kysely<DB>, values: V): Promise<QueryResult<Row>>;
  /** The first row, or undefined. */
  first(d: Kysely<DB>, values: V): Promise<Row | undefined>;
}

/** One query compiled for one engine, and (on SQLite) the camelCase names of its result columns. */
interface Compiled<Row> {
  query: CompiledQuery<Row>;
  names?: string[];
}

/**
 * Run `compiled` on `connection` now, answering as Kysely's SQLite driver and CamelCasePlugin would.
 * A reader's rows come from SQLite as arrays and are named once, here: as objects they were built
 * twice (better-sqlite3's, then the camelCase copy), about 8 µs more for a joined row of 48 columns.
 */
function runNow<Row>(connection: DirectConnection, compiled: Compiled<Row>, parameters: readonly unknown[]): QueryResult<Row> {
  const statement = connection.prepare(compiled.query.sql);
  if (!statement.reader) {
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  }
  const rows = statement.rawAll(parameters);
  if (rows.length === 0) return { rows: [] };
  const names = (compiled.names ??= statement.columnNames.map(columnNames.of));
  return {
    rows: rows.map((values) => {
      const named: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) named[names[i]!] = values[i];
      return named as Row;
    }),
  };
}

/**
 * Prepare `build`: built and compiled the first time it runs on an engine, once per engine (the
 * SQL differs between SQLite and PostgreSQL; a store's transactions share its adapter). Only the
 * store's own Kysely (with its CamelCasePlugin) runs prepared queries, never the migrations'.
 */
export function prepared<Row, V extends object>(build: (d: Kysely<DB>, v: V) => Compilable<Row>): Prepared<Row, V> {
  const compiledFor = new WeakMap<object, Compiled<Row>>();
  const run = (d: Kysely<DB>, values: V): Promise<QueryResult<Row>> => {
    const { adapter } = d.getExecutor();
    let compiled = compiledFor.get(adapter);
    if (!compiled) compiledFor.set(adapter, (compiled = { query: build(d, placeholders as V).compile() }));
    const parameters = compiled.query.parameters.map((p) => (p instanceof Placeholder ? (values as Record<string, unknown>)[p.name] : p));
    const direct = directs.get(d);
    if (direct && (direct.holdsTransaction || !direct.connection.held)) {
      // A statement that throws (SQLITE_BUSY: engine.ts retries it) rejects the promise.
      return new Promise((resolve) => resolve(runNow(direct.connection, compiled, parameters)));
    }
    return d.executeQuery<Row>(CompiledQuery.raw(compiled.query.sql, parameters));
  };
  return {
    run,
    first: (d, values) => run(d, values).then((result) => result.rows[0]),
  };
}
