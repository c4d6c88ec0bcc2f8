/**
 * The audit log on disk: one file per UTC day (`audit-YYYY-MM-DD.log`, or with several processes on
 * one data directory `audit-YYYY-MM-DD.<instance>.log`; mode 0600), each written
 * through one open append stream. The request path hands a line to the stream and goes on: it
 * never waits on the disk and never opens a file per line. Retention deletes whole daily files by
 * the date in their name, so nothing ever reads the log back.
 *
 * PCI DSS 10.x: auditing must not stop silently. When the stream fails (ENOSPC, EACCES, EIO...),
 * the sink turns unwritable: `writable()` says so (the app refuses changes with 503), one alert
 * line goes to the operational log, and the lines not yet on disk are held (bounded) to be written
 * first once a retry succeeds. Retries happen at most once per `retryMs`, driven by the traffic
 * that asks `writable()`, so the sink recovers by itself when the disk has room again.
 *
 * Written by hand: the rotation, retention and failure rules are this product's own; Node's
 * write stream does the writing.
 */
import { createWriteStream } from 'node:fs';
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import type { Logger } from '../logger.js';
import type { AuditEntry, AuditSink } from './audit.js';

/** How the sink reaches the file system (replaceable in tests: a full disk, a denied directory). */
export interface AuditFiles {
  /** An append stream on `file`, created with mode 0600. */
  open(file: string): Writable;
  list(dir: string): Promise<string[]>;
  remove(file: string): Promise<void>;
}

export const nodeAuditFiles: AuditFiles = {
  open: (file) => createWriteStream(file, { flags: 'a', mode: 0o600 }),
  list: (dir) => readdir(dir),
  remove: (file) => unlink(file),
};

export interface FileAuditSinkOptions {
  clock: () => number;
  logger: Pick<Logger, 'error' | 'info'>;
  files?: AuditFiles;
  /** How long an unwritable sink waits before it tries the disk again. */
  retryMs?: number;
  /** How many lines an unwritable sink holds for later; past it, lines are counted as lost. */
  maxHeldLines?: number;
  /**
   * This process's name among several on one data directory (`[A-Za-z0-9._-]`): its daily file is
   * then `audit-YYYY-MM-DD.<instance>.log`. Without it, processes on one directory share the
   * daily file, which a local file system keeps whole (each line is one O_APPEND write) but a
   * network file system may not.
   */
  instance?: string;
}

/** The file sink, with what the app and the tests ask of it beyond {@link AuditSink}. */
export interface FileAuditSink extends AuditSink {
  writable(): boolean;
  purge(before: number): Promise<number>;
  close(): Promise<void>;
  /** The error code of the current failure, or null when the log is writable. */
  failure(): string | null;
}

/** A daily file of any instance (the date, then an optional instance name). */
const FILE = /^audit-(\d{4}-\d{2}-\d{2})(?:\.[A-Za-z0-9_-][A-Za-z0-9._-]*)?\.log$/;
/** What an instance name may hold: a file name part, never a path. */
export const INSTANCE_NAME = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}$/;
const DAY_MS = 24 * 3600_000;

/** A stream and the lines handed to it that it has not confirmed yet (in order). */
interface Handle {
  stream: Writable;
  unconfirmed: string[];
  dead: boolean;
}

/** The daily audit files in `dir`; see the module comment for the failure rules. */
export function fileAuditSink(dir: string, options: FileAuditSinkOptions): FileAuditSink {
  const { clock, logger } = options;
  const files = options.files ?? nodeAuditFiles;
  const retryMs = options.retryMs ?? 5000;
  const maxHeld = options.maxHeldLines ?? 10_000;

  let current: Handle | null = null;
  let day = '';
  let failed: string | null = null;
  let failedAt = 0;
  let probing = false;
  let probeLine = '';
  let nextRetry = 0;
  let held: string[] = [];
  let lost = 0;

  if (options.instance !== undefined && !INSTANCE_NAME.test(options.instance))
    throw new Error('The audit instance name must match [A-Za-z0-9._-]{1,64}.');
  const suffix = options.instance === undefined ? '' : `.${options.instance}`;
  const fileFor = (d: string) => join(dir, `audit-${d}${suffix}.log`);

  function hold(lines: string[], front = false): void {
    held = front ? [...lines, ...held] : [...held, ...lines];
    if (held.length > maxHeld) {
      // Keep the newest: the alert already dated the start of the outage.
      lost += held.length - maxHeld;
      held = held.slice(held.length - maxHeld);
    }
  }

  function fail(handle: Handle, error: unknown): void {
    if (handle.dead) return;
    handle.dead = true;
    // The resume line of a failed retry is not held: the next retry writes a fresh one.
    hold(
      handle.unconfirmed.filter((line) => line !== probeLine),
      true,
    );
    handle.unconfirmed = [];
    if (current === handle) current = null;
    handle.stream.destroy();
    probing = false;
    nextRetry = clock() + retryMs;
    const code = (error as { code?: unknown } | null)?.code;
    if (failed === null) {
      failed = typeof code === 'string' ? code : 'EIO';
      failedAt = clock();
      // Once per outage, not per request: the code says what to fix (ENOSPC, EACCES...).
      logger.error({ code: failed, dir }, 'audit log unwritable');
    }
  }

  function open(d: string): Handle {
    const handle: Handle = { stream: files.open(fileFor(d)), unconfirmed: [], dead: false };
    handle.stream.on('error', (error) => fail(handle, error));
    return handle;
  }

  function send(handle: Handle, chunk: string, lines: string[], confirmed?: () => void): void {
    handle.unconfirmed.push(...lines);
    handle.stream.write(chunk, (error) => {
      if (error) return fail(handle, error);
      if (handle.dead) return;
      // Write callbacks come in order: the first `lines.length` unconfirmed lines are on disk.
      handle.unconfirmed.splice(0, lines.length);
      confirmed?.();
    });
  }

  function stream(): Handle {
    const today = new Date(clock()).toISOString().slice(0, 10);
    if (!current || day !== today) {
      // A new day, a new file; the old stream finishes what it was handed, then closes.
      current?.stream.end();
      current = open(today);
      day = today;
    }
    return current;
  }

  /**
   * Try the disk again: a line recording the outage (PCI DSS 10.7: failures of audit logging are
   * themselves recorded), then what is held. The log is writable once that write is confirmed.
   */
  function retry(): void {
    if (failed === null || probing || clock() < nextRetry) return;
    probing = true;
    current = null;
    const handle = stream();
    const resume: AuditEntry = {
      at: new Date(clock()).toISOString(),
      action: 'audit.resume',
      outcome: 'success',
      actor: 'system',
      reason: failed,
      since: new Date(failedAt).toISOString(),
      repeated: lost,
    };
    probeLine = `${JSON.stringify(resume)}\n`;
    const lines = [probeLine, ...held];
    held = [];
    send(handle, lines.join(''), lines, () => {
      if (handle.dead) return;
      probing = false;
      const code = failed;
      failed = null;
      logger.info({ previousCode: code, lost }, 'audit log writable again');
      lost = 0;
      if (held.length > 0) {
        const more = held;
        held = [];
        send(handle, more.join(''), more);
      }
    });
  }

  return {
    write(entry: AuditEntry) {
      const line = `${JSON.stringify(entry)}\n`;
      if (failed !== null) {
        hold([line]);
        retry();
        return;
      }
      send(stream(), line, [line]);
    },
    writable() {
      if (failed !== null) retry();
      return failed === null;
    },
    failure: () => failed,
    async purge(before) {
      // A daily file holds that UTC day's lines: it goes once its whole day is before `before`.
      let removed = 0;
      for (const name of await files.list(dir)) {
        const match = FILE.exec(name);
        if (!match || Date.parse(`${match[1]}T00:00:00.000Z`) + DAY_MS > before) continue;
        try {
          await files.remove(join(dir, name));
          removed++;
        } catch (error) {
          // Another process on this data directory deleted it first.
          if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        }
      }
      return removed;
    },
    async close() {
      const handle = current;
      current = null;
      if (!handle || handle.dead) return;
      await new Promise<void>((resolve) => {
        handle.stream.once('error', () => resolve());
        handle.stream.end(() => resolve());
      });
    },
  };
}
