/**
 * The session and operator rows answered from memory on SQLite: every change to them, by any
 * statement on this connection or by another connection to the same file, is seen by the very
 * next read. SQLite only (better-sqlite3 opened directly, whatever SECURE_FORMS_TEST_DATABASE_URL says).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cachedAuthReads } from './auth-cache.js';
import { openStore } from './open.js';
import type { OperatorRow, SessionRow, Store } from './types.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const NOW = 1_800_000_000_000;

const operator: OperatorRow = {
  id: 'op-1',
  siteId: 'demo',
  username: 'alice',
  displayName: 'Alice',
  role: 'agent',
  permissions: ['use-secure-form'],
  passwordHash: 'not-a-real-hash',
  failedLogins: 0,
  lockedAt: null,
  createdAt: NOW,
  profile: 'agent',
  totpSecret: null,
  totpLastStep: null,
};
const session: SessionRow = {
  tokenHash: 'h'.repeat(64),
  operatorId: 'op-1',
  siteId: 'demo',
  createdAt: NOW,
  lastSeenAt: NOW,
  expiresAt: NOW + 3600_000,
  revokedAt: null,
};

/** A store on a database file (the cache, durable commits and all), with an operator and a session; both read once. */
async function fileStore(): Promise<{ store: Store; db: Database.Database; file: string }> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sf-auth-cache-'));
  const file = join(dir, 'secure-forms.sqlite');
  const db = new Database(file);
  const store = await openStore({ sqlite: db });
  cleanups.push(
    () => fs.rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  await store.insertOperator(operator);
  await store.insertSession(session);
  await store.findSession(session.tokenHash);
  await store.findOperator(operator.id);
  return { store, db, file };
}

/** Count the statements run on the sessions and operators tables from now on. */
function countReads(db: Database.Database): { count: number } {
  const counter = { count: 0 };
  const statement = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<'get' | 'all', (...args: unknown[]) => unknown>;
  for (const method of ['get', 'all'] as const) {
    const original = statement[method];
    vi.spyOn(statement, method).mockImplementation(function (this: Database.Statement, ...args: unknown[]) {
      if (/from "(sessions|operators)"/.test(this.source)) counter.count++;
      return original.apply(this, args);
    });
  }
  return counter;
}

describe('session and operator reads answered from memory (SQLite)', () => {
  it('reads an unchanged session and operator from memory', async () => {
    const { store, db } = await fileStore();
    const reads = countReads(db);
    expect((await store.findSession(session.tokenHash))?.revokedAt).toBeNull();
    expect((await store.findOperator(operator.id))?.role).toBe('agent');
    expect(reads.count).toBe(0);
  });

  it('sees a session ended by the store at once', async () => {
    const { store } = await fileStore();
    await store.revokeSession(session.tokenHash, NOW + 1);
    expect((await store.findSession(session.tokenHash))?.revokedAt).toBe(NOW + 1);
  });

  it('sees a lock and a role change at once', async () => {
    const { store } = await fileStore();
    await store.setOperatorProfile(operator.id, 'manager', 'manager', ['use-secure-form', 'view-responses-in-history'], 'Alice');
    expect((await store.findOperator(operator.id))?.role).toBe('manager');
    await store.lockAfterFailure(operator.id, 0, NOW + 2);
    expect((await store.findOperator(operator.id))?.lockedAt).toBe(NOW + 2);
  });

  it('sees a change made by any statement on the connection, not only by the store methods known today', async () => {
    const { store, db } = await fileStore();
    db.prepare('UPDATE sessions SET revoked_at = ?').run(NOW + 3);
    db.prepare('UPDATE operators SET role = ?').run('manager');
    expect((await store.findSession(session.tokenHash))?.revokedAt).toBe(NOW + 3);
    expect((await store.findOperator(operator.id))?.role).toBe('manager');
    db.prepare('DELETE FROM sessions').run();
    expect(await store.findSession(session.tokenHash)).toBeUndefined();
  });

  it('sees a change made by another connection to the same file (another process on the data directory) at once', async () => {
    const { store, file } = await fileStore();
    const other = new Database(file);
    try {
      other.prepare('UPDATE sessions SET revoked_at = ?').run(NOW + 4);
      other.prepare('UPDATE operators SET locked_at = ?').run(NOW + 4);
    } finally {
      other.close();
    }
    expect((await store.findSession(session.tokenHash))?.revokedAt).toBe(NOW + 4);
    expect((await store.findOperator(operator.id))?.lockedAt).toBe(NOW + 4);
  });

  it('does not keep a row read while the rows changed: the next read goes to the database', async () => {
    const db = new Database(':memory:');
    db.exec('CREATE TABLE sessions (token_hash TEXT PRIMARY KEY, revoked_at INTEGER); CREATE TABLE operators (id TEXT PRIMARY KEY)');
    db.prepare('INSERT INTO sessions VALUES (?, NULL)').run(session.tokenHash);
    let answer!: (row: SessionRow) => void;
    const findSession = vi.fn(() => new Promise<SessionRow | undefined>((resolve) => (answer = resolve)));
    const store = cachedAuthReads({ findSession } as unknown as Store, db);
    const inFlight = store.findSession(session.tokenHash);
    // The session ends while the read that saw it alive is still on its way back.
    db.prepare('UPDATE sessions SET revoked_at = ?').run(NOW + 5);
    answer(session);
    expect((await inFlight)?.revokedAt).toBeNull();
    const next = store.findSession(session.tokenHash);
    expect(findSession).toHaveBeenCalledTimes(2);
    answer({ ...session, revokedAt: NOW + 5 });
    expect((await next)?.revokedAt).toBe(NOW + 5);
    db.close();
  });

  it('hands out rows nobody can change for the next caller', async () => {
    const { store } = await fileStore();
    const row = await store.findOperator(operator.id);
    expect(() => row!.permissions.push('view-responses-in-history')).toThrow(TypeError);
    expect(() => Object.assign(row!, { role: 'manager' })).toThrow(TypeError);
  });
});
