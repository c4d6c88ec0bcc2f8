/**
 * The checkpointer (checkpointer.ts) says when it has let SQLite's write lock go after emptying the
 * log, so that the writes that met the lock meanwhile run again at once (busy.ts).
 *
 * SQLite only (better-sqlite3 opened directly, whatever SECURE_FORMS_TEST_DATABASE_URL says).
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { lockReleased } from './busy.js';
import { openStore } from './open.js';

vi.mock('./busy.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./busy.js')>();
  return { ...real, lockReleased: vi.fn(real.lockReleased) };
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('the checkpointer', () => {
  it('tells the store when it has let the write lock go after emptying the log', async () => {
    const dir = fs.mkdtempSync(join(tmpdir(), 'sf-checkpointer-'));
    const store = await openStore({
      sqlite: new Database(join(dir, 'secure-forms.sqlite')),
      checkpoint: { intervalMs: 20, walFrameLimit: 50 },
    });
    cleanups.push(
      () => fs.rmSync(dir, { recursive: true, force: true }),
      () => store.close(),
    );
    expect(lockReleased).not.toHaveBeenCalled();
    const until = Date.now() + 1000;
    // Writers without a pause grow the log past its limit, which the checkpointer then empties.
    await Promise.all(
      Array.from({ length: 4 }, async (_, writer) => {
        for (let i = 0; Date.now() < until; i++) await store.setMeta(`writer-${writer}-${i % 50}`, 'x'.repeat(4000));
      }),
    );
    await vi.waitFor(() => expect(lockReleased).toHaveBeenCalled(), { timeout: 5000, interval: 50 });
  }, 15_000);
});
