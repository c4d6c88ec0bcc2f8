/**
 * Private database engines for tests and benchmarks: a PostgreSQL server of its own (initdb in a
 * temporary directory, a free port, its socket beside its data) and a Redis server of its own
 * (no persistence: `--save '' --appendonly no`), both stopped by `stop()` and when the process
 * exits. PostgreSQL refuses to run as root, so as root it runs as the `postgres` user.
 *
 * A minimal version, so that the cluster tests can run before the full one is merged; the
 * signature is the one every part of the project relies on.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface Engines {
  /** postgres://… of a database the caller may use (and create others beside). */
  databaseUrl?: string;
  /** redis://… */
  redisUrl?: string;
  stop(): Promise<void>;
}

const PG_BIN = process.env.SECURE_FORMS_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** A port nothing listens on now (the kernel's choice). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Run a PostgreSQL program, as `postgres` when this process is root. */
function pgRun(program: string, args: string[]): void {
  const command = asRoot ? 'runuser' : join(PG_BIN, program);
  const argv = asRoot ? ['-u', 'postgres', '--', join(PG_BIN, program), ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${program} failed: ${result.stderr || result.stdout || result.error?.message}`);
}

async function startPostgres(dir: string): Promise<{ url: string; stop: () => void }> {
  if (!existsSync(join(PG_BIN, 'initdb'))) throw new Error(`PostgreSQL is not installed in ${PG_BIN} (set SECURE_FORMS_PG_BIN).`);
  if (asRoot) chownSync(dir, Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim()), -1);
  const data = join(dir, 'data');
  pgRun('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const port = await freePort();
  pgRun('pg_ctl', [
    '-D',
    data,
    '-o',
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200`,
    '-l',
    join(dir, 'log'),
    '-w',
    'start',
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: () => {
      try {
        pgRun('pg_ctl', ['-D', data, '-m', 'immediate', 'stop']);
      } catch {
        // Already stopped.
      }
    },
  };
}

async function startRedis(): Promise<{ url: string; process: ChildProcess }> {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  const failed = new Promise<never>((_, reject) => child.once('error', (error) => reject(new Error(`redis-server: ${error.message}`))));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([
      failed,
      new Promise<boolean>((resolve) => {
        const probe = connect(port, '127.0.0.1', () => {
          probe.destroy();
          resolve(true);
        });
        probe.once('error', () => resolve(false));
      }),
    ]);
    if (up) break;
    if (Date.now() > deadline) throw new Error('redis-server did not start within 10 s.');
    await sleep(50);
  }
  return { url: `redis://127.0.0.1:${port}`, process: child };
}

/** Start the engines asked for; `stop()` stops them and deletes their directory. */
export async function startEngines(options: { postgres?: boolean; redis?: boolean; dir?: string }): Promise<Engines> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'secure-forms-engines-'));
  const stops: (() => void)[] = [];
  const stopAll = () => {
    for (const stop of stops.splice(0)) stop();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stopAll);
  try {
    const engines: Engines = {
      stop: () => {
        stopAll();
        process.off('exit', stopAll);
        return Promise.resolve();
      },
    };
    if (options.postgres) {
      const pg = await startPostgres(dir);
      stops.push(pg.stop);
      engines.databaseUrl = pg.url;
    }
    if (options.redis) {
      const redis = await startRedis();
      stops.push(() => redis.process.kill('SIGKILL'));
      engines.redisUrl = redis.url;
    }
    return engines;
  } catch (error) {
    stopAll();
    throw error;
  }
}
