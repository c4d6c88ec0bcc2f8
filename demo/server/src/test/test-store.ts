/**
 * The store a test app runs on: in-memory SQLite by default; with SECURE_FORMS_TEST_DATABASE_URL
 * set, a fresh schema on that PostgreSQL server (dropped after the test file), so that the same
 * backend tests run on both engines. `get` and `all` read it directly, with SQLite's `?`
 * placeholders on both.
 */
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll } from 'vitest';
import { openStore, pgTypes } from '../storage/open.js';
import type { Store } from '../storage/types.js';

/** The PostgreSQL server tests may create and drop schemas on, if any. */
export const TEST_DATABASE_URL = process.env.SECURE_FORMS_TEST_DATABASE_URL || undefined;

/** Whether this run's stores are PostgreSQL (for a test meaningful on one engine only). */
export const onPostgres = TEST_DATABASE_URL !== undefined;

export interface TestStore {
  store: Store;
  /** The first row of `sql`, or undefined. */
  get(sql: string, ...params: unknown[]): Promise<unknown>;
  all(sql: string, ...params: unknown[]): Promise<unknown[]>;
  /** The names of every table in the store. */
  tables(): Promise<string[]>;
  /** PostgreSQL: the schema name; SQLite: undefined. */
  schema?: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A fresh, migrated store (registered for cleanup after the test file). */
export async function openTestStore(options: { busyDeadlineMs?: number; statementTimeoutMs?: number } = {}): Promise<TestStore> {
  if (!TEST_DATABASE_URL) {
    const db = new Database(':memory:');
    const store = await openStore({
      sqlite: db,
      ...(options.busyDeadlineMs === undefined ? {} : { busyDeadlineMs: options.busyDeadlineMs }),
    });
    cleanups.push(() => store.close());
    return {
      store,
      get: (sql, ...params) => Promise.resolve(db.prepare(sql).get(...params)),
      all: (sql, ...params) => {
        const statement = db.prepare(sql);
        if (statement.reader) return Promise.resolve(statement.all(...params));
        statement.run(...params);
        return Promise.resolve([]);
      },
      tables: () =>
        Promise.resolve((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((r) => r.name)),
    };
  }
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  let store: Store;
  try {
    store = await openStore({
      databaseUrl: TEST_DATABASE_URL,
      schema,
      poolSize: 10,
      ...(options.statementTimeoutMs === undefined ? {} : { statementTimeoutMs: options.statementTimeoutMs }),
    });
  } catch (error) {
    await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    throw error;
  } finally {
    await admin.end();
  }
  // Raw reads on their own small pool, with the store's number parsing for BIGINT (epoch ms, counts).
  const raw = new pg.Pool({
    connectionString: TEST_DATABASE_URL,
    max: 2,
    options: `-c search_path=${schema}`,
    types: pgTypes(pg),
  });
  const query = async (sql: string, params: unknown[]) => {
    let n = 0;
    return (
      await raw.query(
        sql.replace(/\?/g, () => `$${++n}`),
        params,
      )
    ).rows as unknown[];
  };
  cleanups.push(async () => {
    await store.close();
    await raw.query(`DROP SCHEMA ${schema} CASCADE`);
    await raw.end();
  });
  return {
    store,
    schema,
    get: async (sql, ...params) => (await query(sql, params))[0],
    all: (sql, ...params) => query(sql, params),
    tables: async () =>
      (
        (await query('SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()', [])) as {
          name: string;
        }[]
      ).map((r) => r.name),
  };
}
