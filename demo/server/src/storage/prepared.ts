/**
 * Statements of the hot path built and compiled by Kysely once, then run with new values.
 *
 * Kysely builds a query's tree and compiles it to SQL on every call (immutable builders, a visitor
 * over the tree, the CamelCasePlugin renaming every identifier), which costs more CPU than SQLite
 * takes to run the statement. A prepared query is built once with a placeholder for each value
 * that changes; each call puts the values into the compiled query's parameters and
 * runs it through Kysely's executor, so the driver (SQLite's connection mutex, PostgreSQL's pool),
 * an open transaction and the plugins' row transform work as for any other query, on both engines.
 *
 * Written here because Kysely has no parameterised prepared queries of its own (its issues point
 * to a third-party package that does not follow Kysely 0.28).
 */
import { CompiledQuery, type Compilable, type Kysely, type QueryResult } from 'kysely';
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

/** A query compiled once per engine; `run(d, values)` runs it on `d` (the store's Kysely, or a transaction). */
export interface Prepared<Row, V extends object> {
  run(d: Kysely<DB>, values: V): Promise<QueryResult<Row>>;
  /** The first row, or undefined. */
  first(d: Kysely<DB>, values: V): Promise<Row | undefined>;
}

/**
 * Prepare `build`: built and compiled the first time it runs on an engine, once per engine (the
 * SQL differs between SQLite and PostgreSQL; a store's transactions share its adapter). Only the
 * store's own Kysely (with its CamelCasePlugin) runs prepared queries, never the migrations'.
 */
export function prepared<Row, V extends object>(build: (d: Kysely<DB>, v: V) => Compilable<Row>): Prepared<Row, V> {
  const compiledFor = new WeakMap<object, CompiledQuery<Row>>();
  const run = (d: Kysely<DB>, values: V): Promise<QueryResult<Row>> => {
    const { adapter } = d.getExecutor();
    let compiled = compiledFor.get(adapter);
    if (!compiled) compiledFor.set(adapter, (compiled = build(d, placeholders as V).compile()));
    const parameters = compiled.parameters.map((p) => (p instanceof Placeholder ? (values as Record<string, unknown>)[p.name] : p));
    return d.executeQuery<Row>(CompiledQuery.raw(compiled.sql, parameters));
  };
  return {
    run,
    first: async (d, values) => (await run(d, values)).rows[0],
  };
}
