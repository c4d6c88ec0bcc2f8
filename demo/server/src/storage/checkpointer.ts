/**
 * SQLite checkpoints off the event loop.
 *
 * A checkpoint copies the write-ahead log into the database file and fsyncs both; by default
 * SQLite runs one inside the commit that grows the log past 1000 pages, so on the server's
 * (synchronous) connection every request waits for it (tens of ms, 100 ms at worst on a shared
 * disk). The server's connection runs with `wal_autocheckpoint = 0`, and a worker thread with its
 * own connection to the same file runs a PASSIVE checkpoint every quarter second: PASSIVE never
 * waits for a lock nor blocks a writer, and the worker's fsyncs stall only the worker. Should the
 * worker fail, `onFailure` lets the caller turn SQLite's own checkpoints back on, so that the log
 * stays bounded.
 */
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { lockReleased } from './busy.js';

/** How often the worker checkpoints: about as many pages as SQLite's own 1000-page threshold at full load. */
const INTERVAL_MS = 250;

/**
 * The log's length, in frames (pages), past which the worker truncates it. A PASSIVE checkpoint
 * copies the log into the database but never shortens it: SQLite starts the log again from its
 * beginning only when a write begins with every frame copied, which under a steady load (writes
 * arriving while each checkpoint runs) never happens, and the log grew to 1.4 GB in the bench. A
 * TRUNCATE checkpoint takes the write lock until it has copied everything and emptied the file;
 * meanwhile the server's writes meet SQLITE_BUSY and wait asynchronously (busy.ts), so the event
 * loop still never waits, and the worker tells the server when it has let the lock go, so that
 * they run again at once. 4,000 frames is about 16 MB with 4 KiB pages.
 */
const WAL_FRAME_LIMIT = 4000;

/** How long a truncating checkpoint waits for readers and writers to finish, in ms. */
const TRUNCATE_WAIT_MS = 1000;

// The worker's code, evaluated as CommonJS so that it needs no file of its own in the build (the
// tests run the TypeScript sources, the server the compiled JavaScript).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('synchronous = FULL');
db.pragma('busy_timeout = ' + workerData.truncateWaitMs);
const timer = setInterval(() => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log > workerData.walFrameLimit) {
      try {
        db.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        // The write lock is free again: the server's writes that met it run again now (busy.ts).
        parentPort.postMessage('released');
      }
    }
  } catch (error) {
    // Another connection in the middle of something: the next round checkpoints.
    if (!/^SQLITE_(BUSY|LOCKED)/.test(String(error.code))) throw error;
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stop the worker (after its checkpoint in progress, if any) and close its connection. */
  close(): Promise<void>;
}

/** How often the worker checkpoints, and the log length past which it empties the log (tests shorten both). */
export interface CheckpointOptions {
  intervalMs?: number;
  walFrameLimit?: number;
}

/** Start checkpointing the WAL database `file` in a worker thread. */
export function startCheckpointer(file: string, onFailure: (error: Error) => void, options: CheckpointOptions = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = {
    driver,
    file,
    intervalMs: options.intervalMs ?? INTERVAL_MS,
    walFrameLimit: options.walFrameLimit ?? WAL_FRAME_LIMIT,
    truncateWaitMs: TRUNCATE_WAIT_MS,
  };
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData });
  // The worker neither keeps the process alive nor outlives a failure quietly.
  worker.unref();
  let running = true;
  worker.on('error', (error) => {
    running = false;
    onFailure(error);
  });
  worker.on('exit', () => {
    running = false;
  });
  worker.on('message', (message) => {
    if (message === 'released') lockReleased();
  });
  return {
    async close() {
      if (!running) return;
      // Closing is waited for: the process must not end meanwhile for want of anything else to do
      // (a command-line tool would exit 0 in the middle of its close, whatever it had to report).
      worker.ref();
      const exited = once(worker, 'exit');
      worker.postMessage('close');
      await exited;
    },
  };
}
