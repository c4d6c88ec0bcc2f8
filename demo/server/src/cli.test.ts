/**
 * What an operator command prints leaves the process: it is printed only once every commit made
 * before it is durable (storage/durable-commits.ts), like a response. The command runs as an
 * operator runs it, in its own process on a fresh data directory, with every sync of the log
 * slowed down and a ledger of the commits made and the syncs ended.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

// Preloaded into the command's process (after tsx; no import statement: tsx would compile one to
// a require()). It counts every run of a statement that writes, and every COMMIT run by exec, as
// a commit (more than there are: a write inside a transaction counts too, which only asks more);
// each sync of a file covers the commits counted when it began, and ends 150 ms late; the line
// the command prints is preceded, on stderr, by the ledger at that moment.
const PROBE = `const fs = process.getBuiltinModule('node:fs');
const { createRequire } = process.getBuiltinModule('node:module');
const Database = createRequire(process.env.PROBE_FROM)('better-sqlite3');
let commits = 0;
let durable = 0;
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (sql) {
  const statement = prepare.call(this, sql);
  if (statement.readonly && !/^\\s*(COMMIT|END|RELEASE)\\b/i.test(sql)) return statement;
  for (const method of ['run', 'all', 'get', 'iterate']) {
    const run = statement[method];
    statement[method] = function (...args) {
      try {
        return run.apply(this, args);
      } finally {
        commits++;
      }
    };
  }
  return statement;
};
const exec = Database.prototype.exec;
Database.prototype.exec = function (sql) {
  try {
    return exec.call(this, sql);
  } finally {
    commits++;
  }
};
const fdatasync = fs.fdatasync;
fs.fdatasync = (fd, callback) => {
  const covers = commits;
  setTimeout(() => fdatasync(fd, (error) => {
    if (!error) durable = Math.max(durable, covers);
    callback(error);
  }), 150);
};
const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (chunk, ...rest) => {
  if (String(chunk).startsWith(process.env.PROBE_LINE)) fs.writeSync(2, 'LEDGER ' + JSON.stringify({ commits, durable }) + '\\n');
  return write(chunk, ...rest);
};`;

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Run `cli.ts args` on a fresh data directory; the ledger when it printed the line starting `line`. */
async function ledgerWhenPrinted(args: string[], line: string): Promise<{ commits: number; durable: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-cli-'));
  dirs.push(dir);
  const probe = join(dir, 'probe.mjs');
  writeFileSync(probe, PROBE);
  const stderr = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', probe, join(import.meta.dirname, 'cli.ts'), ...args], {
      env: {
        ...process.env,
        SECURE_FORMS_DATA_DIR: join(dir, 'data'),
        SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
        SECURE_FORMS_DATABASE_URL: '',
        PROBE_FROM: join(import.meta.dirname, 'storage/open.ts'),
        PROBE_LINE: line,
      },
    });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(err) : reject(new Error(`the command exited with ${code}: ${err}`))));
  });
  const ledger = /^LEDGER (.*)$/m.exec(stderr);
  if (!ledger) throw new Error(`the command did not print a line starting "${line}": ${stderr}`);
  return JSON.parse(ledger[1]!) as { commits: number; durable: number };
}

/** Run `cli.ts args` on a fresh data directory, as an operator does: its exit code and what it printed. */
function run(args: string[]): Promise<{ code: number | null; stdout: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-cli-'));
  dirs.push(dir);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'cli.ts'), ...args], {
      env: { ...process.env, SECURE_FORMS_DATA_DIR: join(dir, 'data'), SECURE_FORMS_ALLOW_LOCAL_KEYS: '1', SECURE_FORMS_DATABASE_URL: '' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout }));
  });
}

describe('an operator command', () => {
  it('that fails exits with its failure code once it has closed the database', { timeout: 60_000 }, async () => {
    const { code, stdout } = await run(['unlock', 'demo', 'nobody']);
    expect(stdout).toContain('There is no operator "nobody" on site "demo". Check both names in the sites file.');
    expect(code).toBe(1);
  });

  for (const [command, line] of [
    ['purge', 'Purged '],
    ['rotate-key', 'Data key rotated to '],
  ] as const) {
    it(`${command} prints what it did only once every commit before it is durable`, { timeout: 60_000 }, async () => {
      const { commits, durable } = await ledgerWhenPrinted([command], line);
      expect(commits).toBeGreaterThan(0);
      expect(durable).toBeGreaterThanOrEqual(commits);
    });
  }
});
