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

/** What a command run did: its exit code and what it wrote to stdout and stderr. */
interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Run `cli.ts args` on a fresh data directory, as an operator does; with `probe`, the ledger above
 * preloaded, reporting at the line that starts with it.
 */
function run(args: string[], probe?: { line: string }): Promise<Ran> {
  const dir = mkdtempSync(join(tmpdir(), 'sf-cli-'));
  dirs.push(dir);
  const preload: string[] = [];
  const env: Record<string, string> = {};
  if (probe) {
    const file = join(dir, 'probe.mjs');
    writeFileSync(file, PROBE);
    preload.push('--import', file);
    Object.assign(env, { PROBE_FROM: join(import.meta.dirname, 'storage/open.ts'), PROBE_LINE: probe.line });
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...preload, join(import.meta.dirname, 'cli.ts'), ...args], {
      env: {
        ...process.env,
        SECURE_FORMS_DATA_DIR: join(dir, 'data'),
        SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
        SECURE_FORMS_DATABASE_URL: '',
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Run `cli.ts args` with the ledger; the ledger when it printed the line starting `line`. */
async function ledgerWhenPrinted(args: string[], line: string): Promise<{ commits: number; durable: number }> {
  const { code, stderr } = await run(args, { line });
  if (code !== 0) throw new Error(`the command exited with ${code}: ${stderr}`);
  const ledger = /^LEDGER (.*)$/m.exec(stderr);
  if (!ledger) throw new Error(`the command did not print a line starting "${line}": ${stderr}`);
  return JSON.parse(ledger[1]!) as { commits: number; durable: number };
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
