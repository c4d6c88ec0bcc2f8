#!/usr/bin/env node
// `npm run bench`: builds the production bundles (the npm script runs `npm run build` first), starts
// the demo on its own ports and a fresh data directory, measures, and writes bench/results.json,
// bench/results.md and bench/chart.svg. Exits non-zero when a size budget is broken (or a
// measurement could not be taken); every other goal is reported, never enforced.
//
// Run under tsx's import hook (`node --import tsx scripts/bench.ts`), like the other scripts. The
// processes it measures do not load tsx (it adds about 27 MB of RSS and 1.5 s of start-up to a
// process): the demo runs its compiled JavaScript, and the bench's own child processes and preloads
// (bench/bare-server.mjs, essential-routes.mjs, gc-on-signal.mjs, loop-delay.mjs) are plain
// JavaScript for that reason. After the measured load runs, a short run against a fresh demo and a
// fresh floor server under `node --cpu-prof` shows where a round trip's CPU goes
// (bench/phases/profile.ts); profiling never touches the reported figures.
//
// Options (for trying things out; a run with any of them writes to a temporary folder unless
// --out is given):
//   --only sizes,browser,load,memory,cluster   which measurements (default: all); `open` is
//                                      browser's open to interactive alone (loopback and slow
//                                      network), for trying out a change to the open path
//   --runs N                           browser runs per figure (default 20)
//   --duration S                       seconds per load-test run (default 8)
//   --memory-count N                   open invitations and off-the-record values (default 10000)
//   --out DIR                          where to write the results
//   --render                           no measurement: write results.md and chart.svg again from
//                                      the results.json in --out (default bench/)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs, stripVTControlCharacters } from 'node:util';
import { agentSetup } from './bench/agent-setup.ts';
import { measureCluster } from './bench/cluster.ts';
import { browserMeasurements, measurementsOf } from './bench/options.ts';
import { browserPhases } from './bench/phases/browser.ts';
import { memoryPhase } from './bench/phases/memory.ts';
import { profileRoundTrips } from './bench/phases/profile.ts';
import { measureRoundTrips } from './bench/phases/round-trips.ts';
import { sizesPhase } from './bench/phases/sizes.ts';
import { type Bare, type Demo, type Ports, benchSitesFile, startBare, startDemo } from './bench/processes.ts';
import { goalsOf } from './bench/report.ts';
import { writeReport } from './bench/results-files.ts';
import type { BenchSettings, Machine, Results } from './bench/results.ts';
import { ROOT, buildFixture } from './bench/sizes.ts';
import { brokenBudgets, kB, round } from './bench/stats.ts';

// BENCH_PORTS=brand,pci,bare,floor moves them, for a machine where those are taken.
const [brandPort, pciPort, barePort, floorPort] = (process.env.BENCH_PORTS ?? '19080,19443,19081,19082').split(',').map(Number) as [
  number,
  number,
  number,
  number,
];
const PORTS: Ports = { brand: brandPort, pci: pciPort, bare: barePort, floor: floorPort };
// BENCH_CLUSTER_PORT_BASE moves the cluster's two proxies' ports (the instances and the measured proxy take free ports).
const CLUSTER_PORT_BASE = Number(process.env.BENCH_CLUSTER_PORT_BASE ?? 19100);

const { values: args } = parseArgs({
  options: {
    only: { type: 'string' },
    runs: { type: 'string' },
    duration: { type: 'string' },
    'memory-count': { type: 'string' },
    out: { type: 'string' },
    render: { type: 'boolean' },
  },
});

if (args.render) {
  const dir = args.out ?? join(ROOT, 'bench');
  const saved = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8')) as Results;
  await writeReport(dir, saved);
  process.stdout.write(`Wrote ${join(dir, 'results.md')} and chart.svg from results.json\n`);
  process.exit(0);
}
const measurements = measurementsOf(args.only);
const only = [...measurements];
const browserSet = browserMeasurements(measurements);

const settings: BenchSettings = {
  runs: Number(args.runs ?? 20),
  durationSeconds: Number(args.duration ?? 8),
  memoryCount: Number(args['memory-count'] ?? 10_000),
  concurrencies: [1, 16, 64],
  clusterConnections: 16,
};
const partial = Boolean(args.only || args.runs || args.duration || args['memory-count']);
const outDir = args.out ?? (partial ? mkdtempSync(join(os.tmpdir(), 'secure-forms-bench-')) : join(ROOT, 'bench'));

const log = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};
const has = (phase: 'sizes' | 'load' | 'memory' | 'cluster') => measurements.has(phase);

const results: Results & { machine: Machine & { loadAverage: NonNullable<Machine['loadAverage']> }; notes: string[] } = {
  schema: 1,
  generatedAt: new Date().toISOString(),
  machine: {
    cpus: os.availableParallelism?.() ?? os.cpus().length,
    cpuModel: os.cpus()[0]?.model?.trim() ?? null,
    totalMemoryMB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    chromium: null,
    loadAverage: { start: round(os.loadavg()[0], 2), end: null },
  },
  settings: { ...settings, measurements: only },
  notes: [],
};
const failures: string[] = [];

/** The first line of an error's message, without terminal colours (for the report). */
const oneLine = (error: unknown) =>
  stripVTControlCharacters(error instanceof Error ? error.message : String(error))
    .split('\n')[0]!
    .trim();

/** Run one measurement; a failure is reported and the others still run. */
async function phase(name: string, fn: () => Promise<void>): Promise<void> {
  const started = Date.now();
  log(`\n== ${name}`);
  try {
    await fn();
    log(`   (${((Date.now() - started) / 1000).toFixed(0)} s)`);
  } catch (error) {
    failures.push(`${name}: ${oneLine(error)}`);
    log(`   FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
}

log(
  `Secure Forms benchmark: ${results.machine.cpus} cores, Node ${results.machine.node}, load average ${results.machine.loadAverage.start}`,
);
log(`Results go to ${outDir}`);

if (has('sizes')) {
  await phase('1. Bundle sizes (min+gzip with the heaviest locale; budgets fail the command)', () => sizesPhase({ results, log }));
}

if (browserSet !== 'none' || has('load')) {
  const staticDir = mkdtempSync(join(os.tmpdir(), 'secure-forms-bench-static-'));
  let demo: Demo | undefined;
  let bare: Bare | undefined;
  try {
    if (browserSet === 'all') await buildFixture('decrypt-entry.js', 'decrypt.js', staticDir);
    const mainDemo = await startDemo({
      port: PORTS.brand,
      pciPort: PORTS.pci,
      label: 'main',
      sitesFile: benchSitesFile(),
      loopDelay: has('load'),
    });
    demo = mainDemo;
    const bareServer = await startBare({ port: PORTS.bare, floorPort: PORTS.floor, staticDir });
    bare = bareServer;
    const agent = await agentSetup(mainDemo);
    const demoContext = { ...mainDemo, ...agent };

    if (browserSet !== 'none') {
      await browserPhases({ phase, demoContext, bare: bareServer, settings, results, log, openOnly: browserSet === 'open' });
    }

    if (has('load')) {
      await phase(
        `4. Backend round trips (autocannon, ${settings.durationSeconds} s per run; concurrency ${settings.concurrencies.join(', ')})`,
        async () => {
          results.backend = await measureRoundTrips({ demo: mainDemo, bare: bareServer, agent, settings, log });
        },
      );
    }
  } catch (error) {
    failures.push(`setup: ${oneLine(error)}`);
    log(`   FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  } finally {
    await demo?.stop();
    await bare?.stop();
    if (demo) rmSync(demo.dataDir, { recursive: true, force: true });
    rmSync(staticDir, { recursive: true, force: true });
  }
}

// After the measured runs, and with the main demo stopped: profiling never touches the reported figures.
if (has('load') && results.backend) {
  const backend = results.backend;
  const seconds = Math.min(settings.durationSeconds, 5);
  await phase(
    `4. (continued) Where a round trip's CPU goes: demo and essential-work floor under --cpu-prof, concurrency 16, ${seconds} s each`,
    async () => {
      backend.profile = await profileRoundTrips({ ports: PORTS, connections: 16, durationSeconds: seconds, log });
    },
  );
}

if (has('memory')) {
  await phase(`6. Server memory (${settings.memoryCount.toLocaleString('en')} open invitations, then as many off-the-record values)`, () =>
    memoryPhase({ ports: PORTS, settings, results, log }),
  );
}

if (has('cluster')) {
  await phase(
    `7. Several instances (SQLite in one process; PostgreSQL + Redis with 1, 2 and 4 instances behind the proxy; concurrency ${settings.clusterConnections}, ${settings.durationSeconds} s each)`,
    async () => {
      results.cluster = await measureCluster({
        portBase: CLUSTER_PORT_BASE,
        connections: settings.clusterConnections,
        durationSeconds: settings.durationSeconds,
        log,
      });
    },
  );
}

results.machine.loadAverage.end = round(os.loadavg()[0], 2);
if (results.machine.cpus !== 2) results.notes.push(`The throughput goal is stated for 2 cores; this machine has ${results.machine.cpus}.`);
for (const failure of failures) results.notes.push(`Not measured: ${failure}`);
const goals = goalsOf(results);
results.goals = goals;

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
await writeReport(outDir, results);

log('\n== Goals');
for (const g of goals)
  log(
    `   ${g.verdict === 'met' ? 'met    ' : 'NOT MET'}  ${g.label}: ${g.unit === 'bytes' ? kB(g.value) : round(g.value, 2)}${g.unit === 'bytes' ? '' : ` ${g.unit}`} (${g.op} ${g.unit === 'bytes' ? kB(g.limit) : g.limit})${g.fails ? ' [budget]' : ''}`,
  );
log(`\nWrote ${join(outDir, 'results.json')}, results.md and chart.svg`);

const broken = brokenBudgets(goals);
if (broken.length > 0) {
  log('');
  for (const g of broken) log(`SIZE BUDGET BROKEN: ${g.label}: ${kB(g.value)} > ${kB(g.limit)}`);
}
if (failures.length > 0) {
  log('');
  for (const failure of failures) log(`MEASUREMENT FAILED: ${failure}`);
}
process.exit(broken.length > 0 || failures.length > 0 ? 1 : 0);
