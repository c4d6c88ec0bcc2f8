/**
 * Group commit on SQLite: the units of work (Engine.tx) of one turn of the event loop share one
 * transaction, committed at the end of the turn; a unit's failure takes back its own work only,
 * and nothing counts as done (Store.durable) before its batch has committed.
 *
 * SQLite only (better-sqlite3 opened directly, whatever SECURE_FORMS_TEST_DATABASE_URL says).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CamelCasePlugin, Kysely, SqliteDialect } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BatchCommitError } from './commit-batches.js';
import { sqliteEngine } from './engine.js';
import { migrate } from './migrations.js';
import { configureSqlite, openStore } from './open.js';
import { prepared, type DirectConnection, type DirectStatement } from './prepared.js';
import type { DB } from './schema.js';
import { cachingStatements } from './statement-cache.js';
import { createStore } from './store.js';
import type { ConversationRow } from './types.js';

const insertKey = prepared<never, { keyId: string }>((d, v) =>
  d.insertInto('dataKeys').values({ keyId: v.keyId, custody: 'local', wrapped: Buffer.from('w'), createdAt: 1 }),
);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** The Kysely and engine on `connection`, as open.ts makes them. */
async function engineOn(connection: Database.Database, onCommit?: () => void) {
  configureSqlite(connection);
  const statements = cachingStatements(connection, onCommit ? { onCommit } : {});
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: statements }), plugins: [new CamelCasePlugin()] });
  await migrate(db.withoutPlugins(), 'sqlite');
  return { db, statements, engine: sqliteEngine(db, 1000, statements) };
}

/** An in-memory engine; `commits` counts the commits SQLite made; `failCommits` makes COMMIT fail as on a failing disk. */
async function engineOnMemory() {
  const connection = new Database(':memory:');
  let commits = 0;
  let failCommits = false;
  const { db, statements } = await engineOn(connection, () => commits++);
  cleanups.push(() => db.destroy());
  // The same connection for the engine, but with a COMMIT that fails once asked to.
  const own: DirectConnection = statements;
  const direct: DirectConnection = {
    get held() {
      return statements.held;
    },
    set held(held) {
      statements.held = held;
    },
    inTransaction: statements.inTransaction,
    prepare: (sql) =>
      failCommits && sql === 'COMMIT'
        ? // The real statement underneath (read lazily), with a run that fails.
          Object.assign(Object.create(own.prepare(sql)) as DirectStatement, {
            run: () => {
              throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR_WRITE', name: 'SqliteError' });
            },
          })
        : own.prepare(sql),
  };
  return {
    connection,
    engine: sqliteEngine(db, 1000, direct),
    commits: () => commits,
    failCommits: () => (failCommits = true),
  };
}

/** A database file in a directory of its own, removed after the test. */
function databaseFile(): string {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sf-batches-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'secure-forms.sqlite');
}

const keyIds = (connection: Database.Database) =>
  (connection.prepare('SELECT key_id FROM data_keys ORDER BY key_id').all() as { key_id: string }[]).map((r) => r.key_id);

describe('units of work on SQLite, committed in batches', () => {
  it('commits the units of work begun in one turn of the event loop once, together', async () => {
    const { connection, engine, commits } = await engineOnMemory();
    const before = commits();
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    await Promise.all(ids.map((keyId) => engine.tx((t) => insertKey.run(t, { keyId }))));
    await engine.committed();
    expect(commits() - before).toBe(1);
    expect(keyIds(connection)).toEqual(ids);
  });

  it('has not committed when a unit returns: that waits for the end of the turn, and committed() for it', async () => {
    const { connection, engine } = await engineOnMemory();
    await engine.tx((t) => insertKey.run(t, { keyId: 'a' }));
    expect(connection.inTransaction).toBe(true);
    expect(engine.isCommitted()).toBe(false);
    await engine.committed();
    expect(connection.inTransaction).toBe(false);
    expect(engine.isCommitted()).toBe(true);
  });

  it("takes back a failed unit's work only: the other units of its batch commit", async () => {
    const { connection, engine } = await engineOnMemory();
    const failing = (keyId: string) =>
      engine
        .tx(async (t) => {
          await insertKey.run(t, { keyId });
          throw new Error(`unit ${keyId} failed`);
        })
        .catch((error: unknown) => (error as Error).message);
    const results = await Promise.all([
      // The batch's first unit (its own transaction so far), then one in a savepoint of it.
      failing('first'),
      engine.tx((t) => insertKey.run(t, { keyId: 'b' })),
      failing('third'),
      engine.tx((t) => insertKey.run(t, { keyId: 'd' })),
    ]);
    expect(results[0]).toBe('unit first failed');
    expect(results[2]).toBe('unit third failed');
    await engine.committed();
    expect(keyIds(connection)).toEqual(['b', 'd']);
  });

  it('runs a statement from outside a unit, between units, in the batch: at once, and committed with it', async () => {
    const { connection, engine, commits } = await engineOnMemory();
    const before = commits();
    const first = engine.tx((t) => insertKey.run(t, { keyId: 'a' }));
    await first;
    const outside = engine.run((d) => insertKey.run(d, { keyId: 'b' }));
    // No unit holds the connection: the statement ran on it directly, in the open transaction.
    expect(keyIds(connection)).toEqual(['a', 'b']);
    await outside;
    await engine.committed();
    expect(commits() - before).toBe(1);
  });

  it('commits on a later turn when a read still stepping refuses the COMMIT, rather than failing', async () => {
    const { connection, engine } = await engineOnMemory();
    await engine.tx((t) => insertKey.run(t, { keyId: 'a' }));
    // A read left half-way on the connection: SQLite refuses to commit under it (SQLITE_BUSY).
    const rows = connection.prepare('SELECT key_id FROM data_keys').iterate();
    rows.next();
    await new Promise((resolve) => setImmediate(resolve));
    expect(connection.inTransaction).toBe(true);
    rows.return?.();
    await engine.committed();
    expect(connection.inTransaction).toBe(false);
    expect(keyIds(connection)).toEqual(['a']);
  });

  it('fails for good, with a clear error, when a batch cannot commit: its units returned, but their work is gone', async () => {
    const { connection, engine, failCommits } = await engineOnMemory();
    failCommits();
    await engine.tx((t) => insertKey.run(t, { keyId: 'lost' }));
    await expect(engine.committed()).rejects.toBeInstanceOf(BatchCommitError);
    await expect(engine.committed()).rejects.toThrow(/Nothing more is accepted/);
    expect(engine.isCommitted()).toBe(false);
    expect(connection.inTransaction).toBe(false);
    expect(keyIds(connection)).toEqual([]);
    // Nothing more is taken on.
    await expect(engine.tx((t) => insertKey.run(t, { keyId: 'later' }))).rejects.toBeInstanceOf(BatchCommitError);
  });
});

describe('a store on a SQLite file, committing in batches', () => {
  it("keeps a savepoint's and a statement's journals (the rows' former pages) in memory, never in a temporary file", async () => {
    const connection = new Database(databaseFile());
    const store = await openStore({ sqlite: connection });
    cleanups.push(() => store.close());
    // 2: MEMORY.
    expect(connection.pragma('temp_store', { simple: true })).toBe(2);
  });

  it('commits the open batch when it is closed, before the connection', async () => {
    const file = databaseFile();
    const { engine } = await engineOn(new Database(file));
    const store = createStore(engine);
    await engine.tx((t) => insertKey.run(t, { keyId: 'kept' }));
    await store.close();
    const reopened = new Database(file, { readonly: true });
    cleanups.push(() => {
      reopened.close();
    });
    expect(keyIds(reopened)).toEqual(['kept']);
  });

  async function fileStore() {
    const file = databaseFile();
    const store = await openStore({ sqlite: new Database(file) });
    cleanups.push(() => store.close());
    const conversation: ConversationRow = {
      id: 'c1',
      siteId: 'site',
      tokenHash: 'hash',
      state: 'waiting',
      visitorName: 'V',
      assignedAgentId: null,
      createdAt: 1,
      closedAt: null,
    };
    await store.insertConversation(conversation);
    await store.durable();
    /** The conversation's state as another connection to the file (another process) reads it. */
    const stateSeenElsewhere = () => {
      const other = new Database(file, { readonly: true });
      try {
        return (other.prepare('SELECT state FROM conversations WHERE id = ?').get('c1') as { state: string }).state;
      } finally {
        other.close();
      }
    };
    const close = () =>
      store.changeConversation('c1', { state: 'waiting', assignedAgentId: null }, { state: 'closed', assignedAgentId: null, closedAt: 2 });
    return { store, close, stateSeenElsewhere };
  }

  it('is durable only once the batch of a unit that returned has committed, and the log is synced past it', async () => {
    const { store, close, stateSeenElsewhere } = await fileStore();
    expect(await close()).toBe(true);
    expect(store.isDurable()).toBe(false);
    expect(stateSeenElsewhere()).toBe('waiting');
    await store.durable();
    expect(stateSeenElsewhere()).toBe('closed');
    expect(store.isDurable()).toBe(true);
  });

  it("begins the sync of the log as soon as the turn's batch has committed, not after the next turn's I/O", async () => {
    const { store, close } = await fileStore();
    expect(await close()).toBe(true);
    const sync = vi.spyOn(fs, 'fdatasync');
    const durable = store.durable();
    // Queued after the batch's commit, in the same turn's check phase.
    await new Promise((resolve) => setImmediate(resolve));
    expect(sync).toHaveBeenCalledTimes(1);
    await durable;
  });
});
