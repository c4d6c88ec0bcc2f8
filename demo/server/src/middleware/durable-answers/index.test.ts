/**
 * On a SQLite file, a request's reads wait for no sync of the log one by one; its response waits
 * once for every commit they may have seen (SQLite only: on PostgreSQL every commit is durable).
 */
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../storage/open.js';
import { durableAnswers } from './index.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function fileStore() {
  const dir = fs.mkdtempSync(join(tmpdir(), 'sf-answers-'));
  const store = await openStore({ sqlite: new Database(join(dir, 'secure-forms.sqlite')) });
  cleanups.push(
    () => fs.rmSync(dir, { recursive: true, force: true }),
    () => store.close(),
  );
  return store;
}

describe('durableAnswers', () => {
  it('answers at once, without a sync, when every commit is on disk already', async () => {
    const store = await fileStore();
    await store.setMeta('probe', 'on disk');
    await store.durable();
    const app = new Hono();
    app.use('/v1/*', durableAnswers(store));
    app.get('/v1/probe', async (c) => c.json(await store.getMeta('probe')));
    const sync = vi.spyOn(fs, 'fdatasync');
    expect(await (await app.request('/v1/probe')).json()).toBe('on disk');
    expect(sync).not.toHaveBeenCalled();
  });

  it('answers a request that read a commit not yet on disk only once the log is synced, after one sync for all its reads', async () => {
    const store = await fileStore();
    const app = new Hono();
    app.use('/v1/*', durableAnswers(store));
    let reads = 0;
    app.get('/v1/probe', async (c) => {
      const values = [];
      for (let i = 0; i < 3; i++) {
        values.push(await store.getMeta('probe'));
        reads++;
      }
      return c.json(values);
    });
    // Every sync is held until released.
    const real = fs.fdatasync;
    const held: (() => void)[] = [];
    const sync = vi.spyOn(fs, 'fdatasync').mockImplementation((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
      held.push(() => real(fd, callback));
    });
    const write = store.setMeta('probe', 'seen');
    const answer = Promise.resolve(app.request('/v1/probe'));
    let answered = false;
    void answer.then(() => (answered = true));
    await vi.waitFor(() => expect(reads).toBe(3));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(answered).toBe(false);
    expect(sync).toHaveBeenCalledTimes(1);
    for (const go of held.splice(0)) go();
    expect(await (await answer).json()).toEqual(['seen', 'seen', 'seen']);
    await write;
  });
});
