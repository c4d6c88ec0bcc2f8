// Child processes of the bench: the demo (brand and PCI origins) and the bench's bare server; their
// readiness, their resident memory, and stopping them.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GcEntry, gcPausesOf } from './gc-pauses.ts';
import type { LoopDelay } from './results.ts';
import { ROOT } from './sizes.ts';
import { type SitesFile, stockSites, writeSites } from '../sites-file.ts';

/** The ports of the main run: the demo's two origins, the bare server and the floor's host page. */
export interface Ports {
  brand: number;
  pci: number;
  bare: number;
  floor: number;
}
/** The demo, started by startDemo. */
export interface Demo {
  child: ChildProcess;
  pid: number;
  brandOrigin: string;
  pciOrigin: string;
  password: string;
  dataDir: string;
  logFile: string;
  /** Where the process writes its memory report on SIGUSR2 (with `gcOnSignal`). */
  memoryReport: string | null;
  /** Reset (`'reset'`, resolves to null) or read (`'read'`) the event-loop delay histogram (with `loopDelay`). */
  loopDelay: (what: 'reset' | 'read') => Promise<LoopDelay | null>;
  stop: () => Promise<void>;
}
/** The bench's bare server, started by startBare. */
export interface Bare {
  child: ChildProcess;
  pid: number;
  origin: string;
  floorOrigin: string;
  stop: () => Promise<void>;
}

/** Wait until every URL answers 200, or throw after `timeoutMs`. */
export async function waitForUrls(urls: string[], timeoutMs = 60_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (const url of urls) {
    for (;;) {
      if (child && child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before ${url} answered`);
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Start the demo on its own ports and a fresh data directory, as `npm start` runs it: the compiled
 * server through demo/server/start.sh, which execs one node process with the production memory
 * settings, so the pid is the server's and /proc shows the server's memory.
 * With `gcOnSignal`, the process also takes a full garbage collection on SIGUSR2 (gc-on-signal.mjs).
 * With `loopDelay`, it measures its event loop's delay, read with `loopDelay()` (loop-delay.mjs).
 * `nodeArgs` are node options for the process (the profiled run's `--cpu-prof`).
 */
export async function startDemo({
  port,
  pciPort,
  sitesFile,
  label,
  gcOnSignal = false,
  loopDelay = false,
  nodeArgs = [],
}: {
  port: number;
  pciPort: number;
  sitesFile?: string;
  label: string;
  gcOnSignal?: boolean;
  loopDelay?: boolean;
  nodeArgs?: string[];
}): Promise<Demo> {
  const dataDir = mkdtempSync(join(tmpdir(), `secure-forms-bench-${label}-`));
  const password = `bench${randomBytes(12).toString('base64url')}7`;
  const logFile = join(dataDir, 'server.log');
  const log = openSync(logFile, 'a');
  const gc = gcOnSignal ? ['--expose-gc', '--import', './scripts/bench/gc-on-signal.mjs'] : [];
  const delay = loopDelay ? ['--import', './scripts/bench/loop-delay.mjs'] : [];
  // BENCH_DEMO_NODE_ARGS: node options for the demo process, for experiments (`--trace-gc`, V8 flags).
  const extra = (process.env.BENCH_DEMO_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child: ChildProcess = spawn('sh', ['demo/server/start.sh', ...gc, ...delay, ...nodeArgs, ...extra], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      PCI_PORT: String(pciPort),
      SECURE_FORMS_DATA_DIR: dataDir,
      SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
      SECURE_FORMS_DEMO_PASSWORD: password,
      ...(sitesFile ? { SECURE_FORMS_SITES_FILE: sitesFile } : {}),
      ...(gcOnSignal ? { BENCH_MEMORY_REPORT: join(dataDir, 'memory-usage.json') } : {}),
    },
    stdio: ['ignore', log, log, ...(loopDelay ? (['ipc'] as const) : [])],
  });
  closeSync(log);
  child.channel?.unref();
  const brandOrigin = `http://localhost:${port}`;
  const pciOrigin = `http://127.0.0.1:${pciPort}`;
  try {
    await waitForUrls([`${brandOrigin}/demo-config.json`, `${pciOrigin}/v1/openapi.json`], 60_000, child);
  } catch (error) {
    await stopChild(child);
    const tail = readFileSync(logFile, 'utf8').split('\n').slice(-15).join('\n');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n--- server log (${logFile}) ---\n${tail}`, {
      cause: error,
    });
  }
  const memoryReport = gcOnSignal ? join(dataDir, 'memory-usage.json') : null;
  /** Reset (`'reset'`) or read (`'read'`: p50, p99, max, mean in ms, and the GC pauses) the event-loop delay histogram. */
  const loopDelayOf = (what: 'reset' | 'read') =>
    new Promise<LoopDelay | null>((resolve, reject) => {
      if (!loopDelay) return reject(new Error('startDemo: loopDelay was not asked for'));
      if (what === 'reset') return child.send({ loopDelay: 'reset' }, (error: Error | null) => (error ? reject(error) : resolve(null)));
      child.once('message', (message: { loopDelay: LoopDelay; gc?: GcEntry[] }) =>
        resolve({ ...message.loopDelay, ...(message.gc ? { gc: gcPausesOf(message.gc) } : {}) }),
      );
      child.send({ loopDelay: 'read' });
    });
  return {
    child,
    pid: child.pid!,
    brandOrigin,
    pciOrigin,
    password,
    dataDir,
    logFile,
    memoryReport,
    loopDelay: loopDelayOf,
    stop: () => stopChild(child),
  };
}

/** The bench's bare Hono server (scripts/bench/bare-server.mjs, plain JavaScript: see its header), with `nodeArgs` as node options. */
export async function startBare({
  port,
  floorPort,
  staticDir,
  nodeArgs = [],
}: {
  port: number;
  floorPort: number;
  staticDir?: string;
  nodeArgs?: string[];
}): Promise<Bare> {
  const child = spawn(process.execPath, [...nodeArgs, join(ROOT, 'scripts/bench/bare-server.mjs')], {
    cwd: ROOT,
    env: { ...process.env, BENCH_BARE_PORT: String(port), BENCH_FLOOR_PORT: String(floorPort), BENCH_STATIC_DIR: staticDir ?? '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const origin = `http://127.0.0.1:${port}`;
  const floorOrigin = `http://localhost:${floorPort}`;
  try {
    await waitForUrls([`${origin}/ready`, `${floorOrigin}/ready`], 30_000, child);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return { child, pid: child.pid!, origin, floorOrigin, stop: () => stopChild(child) };
}

/** This process's folder for the sites files it writes, made at the first and removed as the process exits. */
let sitesDir: string | undefined;
let sitesFiles = 0;
/** `sites` written to a new file in {@link sitesDir}; its path. */
function writeSitesFile(sites: SitesFile): string {
  if (!sitesDir) {
    const dir = (sitesDir = mkdtempSync(join(tmpdir(), 'secure-forms-bench-sites-')));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return writeSites(join(sitesDir, `sites-${++sitesFiles}.json`), sites);
}

/**
 * A copy of the demo's sites file for the main run: the bench starts chats from one address far
 * faster than one visitor may (about a hundred in the load run), so the per-address and per-site
 * limits on starting chats are raised. Nothing else changes.
 */
export function benchSitesFile(): string {
  const sites = stockSites();
  for (const site of sites.sites) site.conversationRateLimit = { windowSeconds: 60, perAddress: 100_000, perSite: 10_000_000 };
  return writeSitesFile(sites);
}

/**
 * A copy of the demo's sites file for the memory run: the demo site with room for `maxEntries`
 * off-the-record values for an hour (the default site keeps 1,000 for 5 minutes), and no flood
 * limit on starting conversations. Nothing else changes.
 */
export function memorySitesFile(maxEntries: number): string {
  const sites = stockSites();
  for (const site of sites.sites) {
    site.offTheRecord = { ttlSeconds: 3600, maxEntries };
    // The run starts one conversation per 100 invitations from one address, faster than the
    // default flood limit (20 a minute per address) allows.
    site.conversationRateLimit = { windowSeconds: 60, perAddress: 100_000, perSite: 10_000_000 };
  }
  return writeSitesFile(sites);
}
