/**
 * Prepared queries on SQLite run on the connection itself, at once, rather than through Kysely's
 * executor (a chain of promises per statement); they never run inside another unit of work's open
 * transaction, and they answer as Kysely's executor would (camelCase columns, affected rows).
 */
import Database from 'better-sqlite3';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { configureSqlite } from './open.js';
import { sqliteEngine } from './engine.js';
import { migrate } from './migrations.js';
import { prepared } from './prepared.js';
import type { DB } from './schema.js';
import { cachingStatements } from './statement-cache.js';

const insertKey = prepared<never, { keyId: string; createdAt: number }>((d, v) =>
  d.insertInto('dataKeys').values({ keyId: v.keyId, custody: 'local', wrapped: Buffer.from('w'), createdAt: v.createdAt }),
);
const findKey = prepared<{ keyId: string; custody: string; wrapped: Buffer; createdAt: number }, { keyId: string }>((d, v) =>
  d.selectFrom('dataKeys').selectAll().where('keyId', '=', v.keyId),
);
const touchKey = prepared<never, { keyId: string; createdAt: number }>((d, v) =>
  d.updateTable('dataKeys').set({ createdAt: v.createdAt }).where('keyId', '=', v.keyId),
);

const opened: Kysely<DB>[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
});

async function sqlite() {
  const connection = new Database(':memory:');
  configureSqlite(connection);
  const statements = cachingStatements(connection);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }), plugins: [new CamelCasePlugin()] });
  opened.push(db);
  await migrate(db.withoutPlugins(), 'sqlite');
  return { connection, db, engine: sqliteEngine(db, 1000, statements) };
}

const keyIds = (connection: Database.Database) =>
  (connection.prepare('SELECT key_id FROM data_keys ORDER BY key_id').all() as { key_id: string }[]).map((r) => r.key_id);

describe('prepared queries on SQLite', () => {
  it('run on an idle connection at once: the statement has run when the call returns', async () => {
    const { connection, engine } = await sqlite();
    const written = engine.run((d) => insertKey.run(d, { keyId: 'k1', createdAt: 1 }));
    expect(keyIds(connection)).toEqual(['k1']);
    await written;
  });

  it('answer as Kysely does: camelCase columns, and the rows a write changed', async () => {
    const { db, engine } = await sqlite();
    await engine.run((d) => insertKey.run(d, { keyId: 'k1', createdAt: 1 }));
    const built = await db.selectFrom('dataKeys').selectAll().where('keyId', '=', 'k1').executeTakeFirst();
    expect(await engine.run((d) => findKey.first(d, { keyId: 'k1' }))).toEqual(built);
    expect(await engine.run((d) => findKey.first(d, { keyId: 'none' }))).toBeUndefined();
    expect((await engine.run((d) => touchKey.run(d, { keyId: 'k1', createdAt: 2 }))).numAffectedRows).toBe(1n);
    expect((await engine.run((d) => touchKey.run(d, { keyId: 'none', createdAt: 2 }))).numAffectedRows).toBe(0n);
  });

  it('read rows as arrays for themselves only: Kysely running the same SQL text still gets objects', async () => {
    const { db, engine } = await sqlite();
    await engine.run((d) => insertKey.run(d, { keyId: 'k1', createdAt: 1 }));
    const read = await engine.run((d) => findKey.first(d, { keyId: 'k1' }));
    expect(read).toEqual({ keyId: 'k1', custody: 'local', wrapped: Buffer.from('w'), createdAt: 1 });
    // The same SQL text built by Kysely runs on the same cached statement.
    expect(await db.selectFrom('dataKeys').selectAll().where('keyId', '=', 'k1').execute()).toEqual([read]);
  });

  it('never join another unit of work’s open transaction: a write from outside waits for it, and outlives its rollback', async () => {
    const { connection, engine } = await sqlite();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let began!: () => void;
    const inside = new Promise<void>((resolve) => (began = resolve));
    const rolledBack = engine
      .tx(async (t) => {
        await insertKey.run(t, { keyId: 'inside', createdAt: 1 });
        began();
        await held;
        throw new Error('rolled back');
      })
      .catch((error: unknown) => error);
    await inside;
    const outside = engine.run((d) => insertKey.run(d, { keyId: 'outside', createdAt: 1 }));
    // The transaction still holds the connection: the write from outside has not run in it.
    expect(connection.inTransaction).toBe(true);
    expect(keyIds(connection)).toEqual(['inside']);
    release();
    expect(await rolledBack).toEqual(new Error('rolled back'));
    await outside;
    expect(keyIds(connection)).toEqual(['outside']);
  });

  it('inside a transaction, run on its connection: what it wrote is read back in it, and undone by its rollback', async () => {
    const { connection, engine } = await sqlite();
    const seen = await engine
      .tx(async (t) => {
        await insertKey.run(t, { keyId: 'k1', createdAt: 1 });
        const row = await findKey.first(t, { keyId: 'k1' });
        throw Object.assign(new Error('rolled back'), { row });
      })
      .catch((error: { row?: unknown }) => error.row);
    expect(seen).toMatchObject({ keyId: 'k1', createdAt: 1 });
    expect(keyIds(connection)).toEqual([]);
  });
});
