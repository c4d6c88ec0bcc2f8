/**
 * On a SQLite file, the store answers only once what it committed is on disk, while the event loop
 * never waits for the disk: commits do not sync the log themselves (it is synced asynchronously,
 * once for all the commits before it), and checkpoints run in a worker.
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

/** Whether `promise` has settled after the event loop has turned a few times. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 50));
  return done;
}

describe('durable commits on a SQLite file', () => {
  it('answers a write only once the log is synced past its commit', async () => {
    const { store, file } = await fileStore();
    const syncs = holdSyncs();
    const write = store.setMeta('probe', 'one');
    expect(await settled(write)).toBe(false);
    syncs.release();
    await write;
    expect(syncs.synced).toContain(fs.statSync(`${file}-wal`).ino);
  });

  it('holds a read that may have seen a commit not yet on disk', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    const write = store.setMeta('probe', 'two');
    const read = store.getMeta('probe');
    expect(await settled(read)).toBe(false);
    syncs.release();
    expect(await read).toBe('two');
    await write;
  });

  it('answers reads at once when every commit is on disk', async () => {
    const { store } = await fileStore();
    await store.setMeta('probe', 'three');
    const spy = vi.spyOn(fs, 'fdatasync');
    expect(await store.getMeta('probe')).toBe('three');
    expect(spy).not.toHaveBeenCalled();
  });

  it('inside one answer, lets reads go on and holds the answer until what they may have seen is on disk', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    const write = store.setMeta('probe', 'four');
    let read: string | undefined;
    const answer = store.answering(async () => {
      read = await store.getMeta('probe');
      return read;
    });
    await vi.waitFor(() => expect(read).toBe('four'));
    expect(await settled(answer)).toBe(false);
    syncs.release();
    expect(await answer).toBe('four');
    await write;
  });

  it('inside one answer, holds a write until its own commit is on disk, so that what follows it rests on it', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    let written = false;
    const answer = store.answering(async () => {
      await store.setMeta('probe', 'five');
      written = true;
    });
    expect(await settled(answer)).toBe(false);
    expect(written).toBe(false);
    syncs.release();
    await answer;
    expect(written).toBe(true);
  });

  it('holds an event of an answer (settled) until what its reads may have seen is on disk', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    const write = store.setMeta('probe', 'six');
    const answer = store.answering(async () => {
      await store.getMeta('probe');
      const event = store.settled();
      expect(await settled(event)).toBe(false);
      syncs.release();
      await event;
    });
    await Promise.all([answer, write]);
  });

  it('holds reads again once the answer has left: a stream that outlives its request waits by itself', async () => {
    const { store } = await fileStore();
    let go!: () => void;
    const gate = new Promise<void>((resolve) => (go = resolve));
    let read: Promise<string | undefined> | undefined;
    // Work started inside the answer that reads after the answer has left (as a stream does).
    await store.answering(async () => {
      read = gate.then(() => store.getMeta('probe'));
    });
    const syncs = holdSyncs();
    const write = store.setMeta('probe', 'seven');
    go();
    expect(await settled(read!)).toBe(false);
    syncs.release();
    expect(await read).toBe('seven');
    await write;
  });

  it('shares one sync between the commits made while another sync runs', async () => {
    const { store } = await fileStore();
    const syncs = holdSyncs();
    const first = store.setMeta('a', '1');
    await settled(first);
    const rest = Promise.all(['b', 'c', 'd'].map((key) => store.setMeta(key, '1')));
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

  it('refuses every answer after a failed sync, with a clear error', async () => {
    const { store } = await fileStore();
    vi.spyOn(fs, 'fdatasync').mockImplementation((_fd: number, callback: (error: NodeJS.ErrnoException | null) => void) =>
      callback(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' })),
    );
    await expect(store.setMeta('probe', 'lost?')).rejects.toThrow(/could not be synced to disk.*restart the server/);
    vi.restoreAllMocks();
    await expect(store.getMeta('anything')).rejects.toThrow(/could not be synced/);
  });
});
