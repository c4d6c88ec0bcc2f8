/**
 * On a SQLite file, nothing need leave before what was committed is on disk (Store.durable), while
 * the event loop never waits for the disk: commits do not sync the log themselves (it is synced
 * asynchronously, once for all the commits before it), and checkpoints run in a worker. The ways
 * out that wait for it are tested in durable-exits.test.ts and audit/durable-first.test.ts.
 *
 * SQLite only (better-sqlite3 opened directly, whatever SECURE_FORMS_TEST_DATABASE_URL says).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore, type StoreOptions } from './open.js';
import type { Store } from './types.js';
import { settledWithin } from '../test/settled.js';
import { countDataVersionReads } from '../test/statement-spy.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fileStore(options: Omit<StoreOptions, 'sqlite'> = {}): Promise<{ store: Store; db: Database.Database; file: string }> {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sf-durable-'));
  const file = join(dir, 'secure-forms.sqlite');
  const db = new Database(file);
  const store = await openStore({ ...options, sqlite: db });
  cleanups.push(
    () => fs.rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  return { store, db, file };
}

/** Hold every fdatasync until `release()`; `synced` lists the inodes synced so far. */
function holdSyncs() {
  const real = fs.fdatasync;
  const held: (() => void)[] = [];
  const synced: number[] = [];
  let holding = true;
  vi.spyOn(fs, 'fdatasync').mockImplementation((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    const go = () =>
      real(fd, (error) => {
        synced.push(fs.fstatSync(fd).ino);
        callback(error);
      });
    if (holding) held.push(go);
    else go();
  });
  return {
    synced,
    release() {
      holding = false;
      for (const go of held.splice(0)) go();
    },
  };
}

describe('durable commits on a SQLite file', () => {
  it('returns from a write without waiting for the disk, and is durable only once the log is synced past its commit', async () => {
    const { store, file } = await fileStore();
    const syncs = holdSyncs();
    await store.setMeta('probe', 'one');
    expect(store.isDurable()).toBe(false);
    const durable = store.durable();
    expect(await settledWithin(durable)).toBe(false);
    syncs.release();
    await durable;
    expect(store.isDurable()).toBe(true);
    expect(syncs.synced).toContain(fs.statSync(`${file}-wal`).ino);
  });

  it('covers, with one wait, every commit made before it, whoever made it', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    await Promise.all(['a', 'b', 'c'].map((key) => store.setMeta(key, '1')));
    // A read returns at once too: it is what leaves afterwards that waits.
    expect(await store.getMeta('b')).toBe('1');
    const durable = store.durable();
    expect(await settledWithin(durable)).toBe(false);
    syncs.release();
    await durable;
    expect(syncs.synced.length).toBe(1);
    expect(store.isDurable()).toBe(true);
  });

  it('is durable at once, without a sync, when every commit is on disk', async () => {
    const { store } = await fileStore();
    await store.setMeta('probe', 'three');
    await store.durable();
    const spy = vi.spyOn(fs, 'fdatasync');
    expect(await store.getMeta('probe')).toBe('three');
    expect(store.isDurable()).toBe(true);
    await store.durable();
    expect(spy).not.toHaveBeenCalled();
  });

  it('starts a sync at the end of the turn of the event loop, so that every commit made later in that turn shares it', async () => {
    const { store } = await fileStore();
    await store.durable();
    const spy = vi.spyOn(fs, 'fdatasync');
    await store.setMeta('first', '1');
    const first = store.durable();
    // Later in the same turn (only promises in between), as the next request of a busy turn commits.
    await store.setMeta('second', '1');
    const second = store.durable();
    await Promise.all([first, second]);
    expect(spy).toHaveBeenCalledTimes(1);
    expect(store.isDurable()).toBe(true);
  });

  it('does not count a commit made after a sync began as covered by it', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    await store.setMeta('first', '1');
    const first = store.durable();
    // The next turn of the event loop: the sync has begun (held by holdSyncs).
    await new Promise((resolve) => setImmediate(resolve));
    await store.setMeta('second', '1');
    const second = store.durable();
    syncs.release();
    await first;
    expect(await settledWithin(second)).toBe(true);
    // The first sync began before the second commit: a second sync covered it.
    expect(syncs.synced.length).toBe(2);
  });

  it('waits for a commit that another process made on the same file, which that process may not have synced yet', async () => {
    const { store, file } = await fileStore();
    await store.durable();
    // Another process on the data directory (an instance during a rolling restart, an operator
    // command): it commits without syncing (synchronous = NORMAL), as this server does.
    const other = new Database(file);
    cleanups.push(() => void other.close());
    other.pragma('synchronous = NORMAL');
    const syncs = holdSyncs();
    other.prepare("INSERT INTO meta (key, value) VALUES ('from-elsewhere', '1')").run();
    // What this process reads of it, and says, may rest on it: the answer waits for the log's sync.
    expect(await store.getMeta('from-elsewhere')).toBe('1');
    expect(store.isDurable()).toBe(false);
    const durable = store.durable();
    expect(await settledWithin(durable)).toBe(false);
    syncs.release();
    await durable;
    // One sync of the shared log covers the other connection's frames (fsync acts on the file).
    expect(syncs.synced).toEqual([fs.statSync(`${file}-wal`).ino]);
    expect(store.isDurable()).toBe(true);
  });

  it("looks at the other connections' commits only when a statement has run here since the last look", async () => {
    const { store, file } = await fileStore();
    await store.durable();
    const looks = countDataVersionReads();
    // Nothing read since the last look: no answer can rest on another connection's commit.
    for (let i = 0; i < 5; i++) expect(store.isDurable()).toBe(true);
    expect(looks.count).toBe(0);
    const other = new Database(file);
    cleanups.push(() => void other.close());
    other.pragma('synchronous = NORMAL');
    other.prepare("INSERT INTO meta (key, value) VALUES ('unread', '1')").run();
    // Committed elsewhere but not read here: still nothing to wait for, and still no look.
    expect(store.isDurable()).toBe(true);
    expect(looks.count).toBe(0);
    // Once a statement has run here (whatever it read), the next look counts that commit, once.
    const syncs = holdSyncs();
    await store.getMeta('anything');
    expect(store.isDurable()).toBe(false);
    expect(store.isDurable()).toBe(false);
    expect(looks.count).toBe(1);
    syncs.release();
    await store.durable();
  });

  it('syncs what is left of the log when it is closed', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'sf-durable-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const store = await openStore({ sqlite: new Database(join(dir, 'secure-forms.sqlite')) });
    const spy = vi.spyOn(fs, 'fdatasync');
    await store.setMeta('probe', 'last');
    await store.close();
    expect(spy).toHaveBeenCalled();
  });

  it('shares one sync between the commits made while another sync runs', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    await store.setMeta('a', '1');
    const first = store.durable();
    await settledWithin(first);
    await Promise.all(['b', 'c', 'd'].map((key) => store.setMeta(key, '1')));
    const rest = Promise.all([store.durable(), store.durable(), store.durable()]);
    syncs.release();
    await Promise.all([first, rest]);
    // The first sync, then one for the three commits that came while it ran.
    expect(syncs.synced.length).toBe(2);
  });

  it('never syncs at commit on the connection itself, nor checkpoints there', async () => {
    const { db } = await fileStore();
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
  });

  it('checkpoints the log into the database file in the background', async () => {
    const { store, file } = await fileStore();
    const before = fs.statSync(file).size;
    for (let i = 0; i < 20; i++) await store.setMeta(`filler-${i}`, 'x'.repeat(4000));
    await vi.waitFor(() => expect(fs.statSync(file).size).toBeGreaterThan(before), { timeout: 5000, interval: 100 });
  });

  it('keeps the log short under a steady load of writes, which never leaves a moment with every frame checkpointed', async () => {
    const { store, file } = await fileStore({ checkpoint: { intervalMs: 20, walFrameLimit: 50 } });
    const log = `${file}-wal`;
    const until = Date.now() + 1500;
    // Eight writers without a pause: each write begins while another's frames are still uncopied.
    await Promise.all(
      Array.from({ length: 8 }, async (_, writer) => {
        for (let i = 0; Date.now() < until; i++) await store.setMeta(`writer-${writer}-${i % 50}`, 'x'.repeat(4000));
      }),
    );
    // Fifty frames are about 200 KB; a log only ever checkpointed PASSIVE keeps its longest length.
    await vi.waitFor(() => expect(fs.statSync(log).size).toBeLessThan(512 * 1024), { timeout: 5000, interval: 50 });
    expect(await store.getMeta('writer-0-0')).toBe('x'.repeat(4000));
  });

  it('lets the checkpointer fail quietly once its database is closed and gone', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'sf-durable-'));
    const db = new Database(join(dir, 'secure-forms.sqlite'));
    await openStore({ sqlite: db, checkpoint: { intervalMs: 10 } });
    // A caller that closes the connection itself and removes the files, without closing the store.
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(db.open).toBe(false);
  });

  it('is never durable again after a failed sync, with a clear error', async () => {
    const { store } = await fileStore();
    vi.spyOn(fs, 'fdatasync').mockImplementation((_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) =>
      callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })),
    );
    await store.setMeta('probe', 'lost?');
    await expect(store.durable()).rejects.toThrow(/could not be synced to disk.*restart the server/);
    vi.restoreAllMocks();
    // The kernel may have dropped the pages it could not write: a later sync proves nothing.
    expect(store.isDurable()).toBe(false);
    await expect(store.durable()).rejects.toThrow(/could not be synced/);
  });
});
