/**
 * The sinks the canary scan reads, and the scan itself: one table row per sink with what was
 * scanned and which canaries (in which encoding) were found.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describeHits, findCanaries } from './canaries.js';
import { DATA_DIR } from './env.js';
import { serverStderr, serverStdout } from './logs.js';
import type { Group, Table } from './table.js';

export interface Sink {
  name: string;
  /** What was read, for the table ("2 files, 1.3 MB"). */
  what: string;
  text: string;
}

const size = (n: number) => (n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} kB` : `${n} B`);

/** Numbers in log lines that nobody typed (durations, statuses, times), so a short CVV cannot match one. */
function withoutLogNumbers(text: string): string {
  return text.replace(/"(ms|status|time|pid|level|purged|rewrapped|suppressedBefore|code)":\d+/g, '"$1":0');
}

/** Every file of the data directory: the SQLite database, its WAL and shared memory, the audit log, keys. */
export function dataDirSinks(): Sink[] {
  const groups = new Map<string, { files: string[]; bytes: number; text: string[] }>();
  const nameOf = (file: string) =>
    file.endsWith('.sqlite')
      ? 'SQLite database'
      : file.endsWith('-wal')
        ? 'SQLite WAL'
        : file.endsWith('-shm')
          ? 'SQLite shared memory'
          : file.startsWith('audit')
            ? 'audit log'
            : 'data directory: key files';
  for (const file of readdirSync(DATA_DIR)) {
    const path = join(DATA_DIR, file);
    if (!statSync(path).isFile()) continue;
    const bytes = readFileSync(path);
    const name = nameOf(file);
    const group = groups.get(name) ?? { files: [], bytes: 0, text: [] };
    group.files.push(file);
    group.bytes += bytes.length;
    group.text.push(withoutLogNumbers(bytes.toString('latin1')));
    groups.set(name, group);
  }
  return [...groups.entries()].map(([name, g]) => ({ name, what: `${g.files.join(', ')} (${size(g.bytes)})`, text: g.text.join('\n') }));
}

export function serverSinks(): Sink[] {
  const out = serverStdout();
  const err = serverStderr();
  return [
    { name: 'server stdout', what: `${out.split('\n').length} lines (${size(out.length)})`, text: withoutLogNumbers(out) },
    { name: 'server stderr', what: `${err.split('\n').filter(Boolean).length} lines (${size(err.length)})`, text: withoutLogNumbers(err) },
  ];
}

export function textSink(name: string, parts: readonly string[], unit = 'items'): Sink {
  const text = parts.join('\n');
  return { name, what: `${parts.length} ${unit} (${size(text.length)})`, text };
}

/** Scan each sink; one row each. Returns the rows that found something. */
export function scan(table: Table, group: Group, sinks: readonly Sink[]): number {
  let dirty = 0;
  for (const sink of sinks) {
    const hits = findCanaries(sink.text);
    if (hits.length > 0) dirty++;
    table.add(
      group,
      sink.name,
      `${sink.what}: card number, CVV, SSN, secret answer in clear, base64, URL-encoded`,
      hits.length ? `FOUND ${describeHits(hits)}` : 'no canary',
      hits.length === 0,
    );
  }
  return dirty;
}
