// Private PostgreSQL and Redis servers for the tests (and the cluster scripts): each in its own
// temporary directory on a free port, stopped by stop(), also when the process ends or is
// interrupted, leaving no process and no file behind. Node's own modules only: starting a server
// program and waiting for its "ready" line is all there is to it.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';

import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { findPostgresBin, findRedisServer } from './binaries.ts';
import { freePort } from '../../demo/server/src/test/free-port.js';

/** What startEngines() started. */
export interface Engines {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: a superuser, trusted, may create schemas and databases. */
  databaseUrl?: string;
  /** `redis://127.0.0.1:<port>`: no persistence. */
  redisUrl?: string;
  /** The servers' process ids (what stop() ends). */
  pids: number[];
  /** The temporary directory that holds their data and sockets (gone after stop()). */
  dir: string;
  /** Stop both servers and delete their directory. Safe to call twice. */
  stop(): Promise<void>;
}

/** How long a server may take to say it is ready before the start fails. */
const READY_TIMEOUT_MS = 30_000;
/** How long a server may take to stop before it is killed. */
const STOP_TIMEOUT_MS = 10_000;

/** Start the engines asked for (`dir`: where their temporary directory goes; the system's by default). */
export async function startEngines(options: { postgres?: boolean; redis?: boolean; dir?: string }): Promise<Engines> {
  const dir = mkdtempSync(join(options.dir ?? tmpdir(), 'sf-engines-'));
  const children: ChildProcess[] = [];
  const running = new Running(dir, children);
  try {
    const engines: Engines = { pids: [], dir, stop: () => running.stop() };
    // Both at once (they share nothing); each started server is stopped even if the other fails.
    const [postgres, redis] = await Promise.allSettled([
      options.postgres ? startPostgres(dir, children) : undefined,
      options.redis ? startRedis(dir, children) : undefined,
    ]);
    for (const result of [postgres, redis]) if (result.status === 'rejected') throw result.reason;
    if (postgres.status === 'fulfilled' && postgres.value) engines.databaseUrl = postgres.value;
    if (redis.status === 'fulfilled' && redis.value) engines.redisUrl = redis.value;
    engines.pids = children.map((c) => c.pid!);
    return engines;
  } catch (error) {
    await running.stop();
    throw error;
  }
}

/** One set of started servers, and the hooks that stop them when the process ends first. */
class Running {
  private stopped = false;
  private readonly onExit = () => this.stopNow();
  private readonly onSignal = (signal: NodeJS.Signals) => {
    this.stopNow();
    // Ours was the only handler: end the process as the signal would have.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };

  constructor(
    private readonly dir: string,
    private readonly children: ChildProcess[],
  ) {
    process.once('exit', this.onExit);
    process.once('SIGINT', this.onSignal);
    process.once('SIGTERM', this.onSignal);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.unhook();
    // PostgreSQL: SIGINT is its "fast" shutdown (ends sessions, writes a checkpoint); Redis: SIGTERM,
    // which with persistence off writes nothing.
    await Promise.all(this.children.map((child) => ended(child, child.spawnfile.endsWith('postgres') ? 'SIGINT' : 'SIGTERM')));
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The process is ending: no time for a clean stop, only for one that leaves nothing running. */
  private stopNow(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unhook();
    for (const child of this.children) {
      // PostgreSQL's SIGQUIT is its immediate shutdown: the postmaster ends its backends too.
      if (child.exitCode === null && child.signalCode === null) child.kill(child.spawnfile.endsWith('postgres') ? 'SIGQUIT' : 'SIGKILL');
    }
    const deadline = Date.now() + 3000;
    while (this.children.some((child) => alive(child.pid)) && Date.now() < deadline) sleepSync(20);
    rmSync(this.dir, { recursive: true, force: true });
  }

  private unhook(): void {
    process.off('exit', this.onExit);
    process.off('SIGINT', this.onSignal);
    process.off('SIGTERM', this.onSignal);
  }
}

/** PostgreSQL refuses to run as root: when we are root, the server runs as the `postgres` user. */
function postgresUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error(
      "PostgreSQL does not run as root, and there is no `postgres` user to run it as. Install Debian's postgresql package (it creates one) or run the tests as another user.",
    );
  }
}

async function startPostgres(dir: string, children: ChildProcess[]): Promise<string> {
  const bin = findPostgresBin();
  if (!bin) throw new Error('PostgreSQL was not found: run `node --import tsx scripts/ensure-postgres.ts` for how to get it.');
  const home = join(dir, 'postgres');
  const data = join(home, 'data');
  mkdirSync(home, { mode: 0o700 });
  // Node's uid/gid spawn options rather than runuser: the server is then our direct child, so its
  // pid is the one to signal (a wrapper in between need not pass signals on).
  const user = postgresUser();
  if (user) {
    chownSync(dir, user.uid, user.gid);
    chownSync(home, user.uid, user.gid);
  }
  const as = user ? { uid: user.uid, gid: user.gid } : {};
  // --no-sync: a test cluster need not survive a power cut, and initdb's fsyncs are most of its time.
  await run(join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync'], as);
  const port = await freePort();
  const child = spawn(
    join(bin, 'postgres'),
    [
      '-D',
      data,
      '-p',
      String(port),
      '-k',
      home, // the unix socket in our directory, not /var/run/postgresql
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'fsync=off',
      '-c',
      'full_page_writes=off',
      '-c',
      'max_connections=200',
    ],
    { ...as, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  children.push(child);
  await ready(child, 'PostgreSQL', /database system is ready to accept connections/);
  return `postgres://postgres@127.0.0.1:${port}/postgres`;
}

async function startRedis(dir: string, children: ChildProcess[]): Promise<string> {
  const program = findRedisServer();
  if (!program) throw new Error('Redis was not found: run `node --import tsx scripts/ensure-redis.ts` for how to get it.');
  const home = join(dir, 'redis');
  mkdirSync(home, { mode: 0o700 });
  const port = await freePort();
  // No RDB snapshots, no append-only file: off-the-record values never reach a disk, in tests too.
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', home, '--daemonize', 'no'];
  const child = spawn(program, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  await ready(child, 'Redis', /Ready to accept connections/);
  return `redis://127.0.0.1:${port}`;
}

/** Resolves when `child` prints `line` (on stdout or stderr); rejects with its output if it ends first. */
function ready(child: ChildProcess, name: string, line: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(`${name} did not start within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (line.test(output)) {
        done();
        // Keep reading, so that a full pipe never blocks the server.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve();
      }
    };
    const onExit = (code: number | null) => fail(`${name} ended (exit code ${code}) before it was ready`);
    const fail = (message: string) => {
      done();
      reject(new Error(`${message}:\n${output}`));
    };
    const done = () => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.off('error', fail);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
    child.once('error', fail);
  });
}

/** Signal `child` and wait for it to end; killed if it has not ended after STOP_TIMEOUT_MS. */
function ended(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}

function run(program: string, args: string[], as: { uid?: number; gid?: number }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { ...as, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${program} failed (exit code ${code}):\n${output}`))));
  });
}

/** Whether `pid` still runs: a process that has ended but is not yet reaped (a zombie) does not. */
export function alive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    // Field 3 of /proc/<pid>/stat is the state; Z is a zombie. (The comm before it is in parentheses.)
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && existsSync('/proc/self/stat')) return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
