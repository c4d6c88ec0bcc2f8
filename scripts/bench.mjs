#!/usr/bin/env node
// `npm run bench`: builds the production bundles (the npm script runs `npm run build` first), starts
// the demo on its own ports and a fresh data directory, measures, and writes bench/results.json,
// bench/results.md and bench/chart.svg. Exits non-zero when a size budget is broken (or a
// measurement could not be taken); every other goal is reported, never enforced.
//
// Run under tsx's import hook (`node --import tsx scripts/bench.mjs`): the bench seals envelopes
// with packages/shared, which is TypeScript.
//
// Options (for trying things out; a run with any of them writes to a temporary folder unless
// --out is given):
//   --only sizes,browser,load,memory,cluster   which measurements (default: all)
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
import { Api, generateInvitationKeyPair, sealedSubmission } from './bench/api.mjs';
import { decryptTimes, launch, openToInteractive, SLOW_NETWORK, submitToRevealed } from './bench/browser.mjs';
import { STEPS, bareSequence, demoSequence, essentialSequence, measure } from './bench/load.mjs';
import { measureCluster } from './bench/cluster.mjs';
import { withClusterTable } from './bench/cluster-report.mjs';
import { measureMemory } from './bench/memory.mjs';
import { benchSitesFile, cpuMsOf, memorySitesFile, startBare, startDemo } from './bench/processes.mjs';
import { goalsOf, markdownReport, resultsChart } from './bench/report.mjs';
import { ROOT, buildFixture, measureSizes } from './bench/sizes.ts';
import { brokenBudgets, kB, ratio, round, summarize } from './bench/stats.ts';

// BENCH_PORTS=brand,pci,bare,floor moves them, for a machine where those are taken.
const [brandPort, pciPort, barePort, floorPort] = (process.env.BENCH_PORTS ?? '19080,19443,19081,19082').split(',').map(Number);
const PORTS = { brand: brandPort, pci: pciPort, bare: barePort, floor: floorPort };
const ALL = ['sizes', 'browser', 'load', 'memory', 'cluster'];
// BENCH_CLUSTER_PORT_BASE moves the cluster's ports: its proxies, then two per instance, then the measured proxy.
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

/** The markdown in the repository's Prettier style, when Prettier is installed; as written otherwise. */
async function formatted(markdown, file) {
  try {
    const prettier = await import('prettier');
    return await prettier.format(markdown, { ...(await prettier.resolveConfig(file)), parser: 'markdown' });
  } catch {
    return markdown;
  }
}

/** The README's table of the several-instance figures, from the results written to bench/. */
async function writeReadmeTable(results) {
  const readme = join(ROOT, 'README.md');
  writeFileSync(readme, await formatted(withClusterTable(readFileSync(readme, 'utf8'), results), readme));
}

if (args.render) {
  const dir = args.out ?? join(ROOT, 'bench');
  const saved = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
  writeFileSync(join(dir, 'results.md'), await formatted(markdownReport(saved), join(dir, 'results.md')));
  writeFileSync(join(dir, 'chart.svg'), resultsChart(saved));
  if (dir === join(ROOT, 'bench')) await writeReadmeTable(saved);
  process.stdout.write(`Wrote ${join(dir, 'results.md')} and chart.svg from results.json\n`);
  process.exit(0);
}
const only = args.only ? args.only.split(',').map((s) => s.trim()) : ALL;
for (const phase of only) if (!ALL.includes(phase)) throw new Error(`--only: unknown measurement "${phase}" (known: ${ALL.join(', ')})`);
/** Runs under network emulation: each open takes seconds there, so fewer than the loopback runs. */
const slowRuns = (runs) => Math.min(runs, 8);
const slowLabel = `${SLOW_NETWORK.latencyMs} ms round trip, ${SLOW_NETWORK.downloadKbps / 1000} Mbit/s down, ${SLOW_NETWORK.uploadKbps} kbit/s up`;

const settings = {
  runs: Number(args.runs ?? 20),
  durationSeconds: Number(args.duration ?? 8),
  memoryCount: Number(args['memory-count'] ?? 10_000),
  concurrencies: [1, 16, 64],
  clusterConnections: 16,
};
const partial = Boolean(args.only || args.runs || args.duration || args['memory-count']);
const outDir = args.out ?? (partial ? mkdtempSync(join(os.tmpdir(), 'secure-forms-bench-')) : join(ROOT, 'bench'));

const log = (line = '') => process.stdout.write(`${line}\n`);
const has = (phase) => only.includes(phase);
const ms = (v) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
const samples = (list) => list.map((v) => round(v, 1));

const results = {
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
const failures = [];

/** The first line of an error's message, without terminal colours (for the report). */
const oneLine = (error) =>
  stripVTControlCharacters(error instanceof Error ? error.message : String(error))
    .split('\n')[0]
    .trim();

/** Run one measurement; a failure is reported and the others still run. */
async function phase(name, fn) {
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

/** Sign alice in, make the panel's key pair, and seal one submission's envelopes (reused by the load). */
async function agentSetup(demo) {
  const api = new Api(demo.pciOrigin);
  const session = await api.login('alice', demo.password);
  const keys = await generateInvitationKeyPair();
  const conversation = await api.startConversation('Bench warm-up');
  await api.assign(session, conversation.id);
  const invitationId = await api.invite(session, conversation.id, keys.publicJwk);
  const view = await api.view(await api.open(conversation, invitationId));
  const { invitationId: _bound, ...envelopes } = await sealedSubmission(view);
  return { api, session, keys, envelopes };
}

log(
  `Secure Forms benchmark: ${results.machine.cpus} cores, Node ${results.machine.node}, load average ${results.machine.loadAverage.start}`,
);
log(`Results go to ${outDir}`);

if (has('sizes')) {
  await phase('1. Bundle sizes (min+gzip with the heaviest locale; budgets fail the command)', async () => {
    results.sizes = await measureSizes();
    for (const b of results.sizes.bundles) {
      log(
        `   ${b.name}: ${kB(b.gzip)} gzip, ${kB(b.brotli)} brotli (English only ${kB(b.englishOnly.gzip)} / ${kB(b.englishOnly.brotli)}); ` +
          `budget ${kB(b.budget)}: ${b.ok ? 'ok' : 'OVER BUDGET'}`,
      );
    }
    if (results.sizes.floor)
      log(`   ${results.sizes.floor.name}: ${kB(results.sizes.floor.gzip)} gzip, ${kB(results.sizes.floor.brotli)} brotli`);
  });
}

if (has('browser') || has('load')) {
  const staticDir = mkdtempSync(join(os.tmpdir(), 'secure-forms-bench-static-'));
  let demo;
  let bare;
  try {
    if (has('browser')) await buildFixture('decrypt-entry.js', 'decrypt.js', staticDir);
    demo = await startDemo({ port: PORTS.brand, pciPort: PORTS.pci, label: 'main', sitesFile: benchSitesFile(), loopDelay: has('load') });
    bare = await startBare({ port: PORTS.bare, floorPort: PORTS.floor, staticDir });
    const agent = await agentSetup(demo);
    const demoContext = { ...demo, ...agent };

    if (has('browser')) {
      const browser = await launch();
      results.machine.chromium = browser.version();
      try {
        await phase(`2. Open to interactive (${settings.runs} runs each: demo and floor, cold and warm)`, async () => {
          const s = await openToInteractive(browser, demoContext, bare, { runs: settings.runs, log });
          const sum = {
            demo: { cold: summarize(s.demo.cold), warm: summarize(s.demo.warm) },
            floor: { cold: summarize(s.floor.cold), warm: summarize(s.floor.warm) },
          };
          results.openToInteractive = {
            runs: settings.runs,
            ...sum,
            ratio: { cold: ratio(sum.demo.cold.median, sum.floor.cold.median), warm: ratio(sum.demo.warm.median, sum.floor.warm.median) },
            samples: {
              demo: { cold: samples(s.demo.cold), warm: samples(s.demo.warm) },
              floor: { cold: samples(s.floor.cold), warm: samples(s.floor.warm) },
            },
            leftOut: s.failures,
          };
          if (s.failures.length)
            results.notes.push(
              `Open to interactive: ${s.failures.length} run(s) could not finish and were run again (see leftOut in results.json).`,
            );
          const o = results.openToInteractive;
          log(
            `   median: demo ${ms(o.demo.cold.median)} cold, ${ms(o.demo.warm.median)} warm; floor ${ms(o.floor.cold.median)} cold, ${ms(o.floor.warm.median)} warm`,
          );
          log(`   ratio to the floor: ${o.ratio.cold}× cold, ${o.ratio.warm}× warm (goal ≤ 2×)`);
        });
        await phase(`2b. Open to interactive on a slow network (${slowRuns(settings.runs)} runs each, ${slowLabel})`, async () => {
          // Its own browser: the emulation must cover the cross-site frames (see launch()).
          const slowBrowser = await launch({ sameProcessFrames: true });
          try {
            const runs = slowRuns(settings.runs);
            const s = await openToInteractive(slowBrowser, demoContext, bare, { runs, log, network: SLOW_NETWORK });
            const sum = {
              demo: { cold: summarize(s.demo.cold), warm: summarize(s.demo.warm) },
              floor: { cold: summarize(s.floor.cold), warm: summarize(s.floor.warm) },
            };
            results.openToInteractiveSlow = {
              runs,
              network: SLOW_NETWORK,
              ...sum,
              ratio: { cold: ratio(sum.demo.cold.median, sum.floor.cold.median), warm: ratio(sum.demo.warm.median, sum.floor.warm.median) },
              samples: {
                demo: { cold: samples(s.demo.cold), warm: samples(s.demo.warm) },
                floor: { cold: samples(s.floor.cold), warm: samples(s.floor.warm) },
              },
              leftOut: s.failures,
            };
            const o = results.openToInteractiveSlow;
            log(
              `   median: demo ${ms(o.demo.cold.median)} cold, ${ms(o.demo.warm.median)} warm; floor ${ms(o.floor.cold.median)} cold, ${ms(o.floor.warm.median)} warm`,
            );
            log(`   ratio to the floor: ${o.ratio.cold}× cold, ${o.ratio.warm}× warm`);
          } finally {
            await slowBrowser.close();
          }
        });
        await phase(`3. Submit to revealed (${settings.runs} runs)`, async () => {
          const s = await submitToRevealed(browser, demoContext, { runs: settings.runs, log });
          results.submitToRevealed = {
            runs: settings.runs,
            summary: summarize(s.samples),
            samples: samples(s.samples),
            leftOut: s.failures,
          };
          if (s.failures.length)
            results.notes.push(
              `Submit to revealed: ${s.failures.length} run(s) could not finish and were run again (see leftOut in results.json).`,
            );
          log(`   median ${ms(results.submitToRevealed.summary.median)}, p95 ${ms(results.submitToRevealed.summary.p95)}`);
        });
        await phase('5. Decrypt time per form in Chromium', async () => {
          const t = await decryptTimes(browser, bare, { iterations: 200 });
          results.decrypt = { warmup: 20, summary: summarize(t, 3) };
          log(`   median ${ms(results.decrypt.summary.median)}, p95 ${ms(results.decrypt.summary.p95)} (${t.length} forms)`);
        });
      } finally {
        await browser.close();
      }
    }

    if (has('load')) {
      await phase(
        `4. Backend round trips (autocannon, ${settings.durationSeconds} s per run; concurrency ${settings.concurrencies.join(', ')})`,
        async () => {
          const retrieveOtks = new Map();
          const events = await agent.api.agentEvents(agent.session, (e) => {
            if (e.type === 'submission') retrieveOtks.set(e.submissionId, e.retrieveOtk);
          });
          try {
            const conversationsFor = async (n) => {
              const list = [];
              for (let i = 0; i < n; i++) {
                const conversation = await agent.api.startConversation(`Load visitor ${n}-${i + 1}`);
                await agent.api.assign(agent.session, conversation.id);
                list.push(conversation);
              }
              return list;
            };
            const common = { session: agent.session, publicJwk: agent.keys.publicJwk, envelopes: agent.envelopes };
            // The demo's own CPU time (user + system) per round trip, and its event loop's delay, during the run.
            const demoRun = async (connections, conversations, duration) => {
              await demo.loopDelay('reset');
              const cpuBefore = cpuMsOf(demo.pid);
              const figures = await measure({
                url: demo.pciOrigin,
                connections,
                duration,
                makeRequests: (x) => demoSequence({ ...common, conversations, retrieveOtks, ...x }),
              });
              const cpuAfter = cpuMsOf(demo.pid);
              const cpuMs = cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore;
              return {
                ...figures,
                cpuMs,
                cpuMsPerRoundTrip: cpuMs === null || figures.roundTrips === 0 ? null : round(cpuMs / figures.roundTrips, 2),
                loopDelayMs: await demo.loopDelay('read'),
              };
            };
            const essentialRun = (connections, conversations, duration) =>
              measure({
                url: bare.origin,
                connections,
                duration,
                makeRequests: (x) => essentialSequence({ ...common, conversations, ...x }),
              });
            const bareRun = (connections, conversations, duration) =>
              measure({ url: bare.origin, connections, duration, makeRequests: (x) => bareSequence({ ...common, conversations, ...x }) });
            // Warm both servers up (JIT, SQLite pages) before anything counts.
            const warm = await conversationsFor(16);
            await demoRun(16, warm, 3);
            await bareRun(16, warm, 2);
            await essentialRun(16, warm, 2);
            retrieveOtks.clear();
            const rows = [];
            for (const connections of settings.concurrencies) {
              const conversations = await conversationsFor(connections);
              const demoFigures = await demoRun(connections, conversations, settings.durationSeconds);
              retrieveOtks.clear();
              const bareFigures = await bareRun(connections, conversations, settings.durationSeconds);
              const essentialFigures = await essentialRun(connections, conversations, settings.durationSeconds);
              const row = {
                connections,
                demo: demoFigures,
                bare: bareFigures,
                essential: essentialFigures,
                overheadRatio: ratio(bareFigures.requestsPerSecond, demoFigures.requestsPerSecond),
                // Time per round trip ÷ the essential work's = its round trips/s ÷ the demo's.
                essentialRatio: ratio(essentialFigures.roundTripsPerSecond, demoFigures.roundTripsPerSecond),
              };
              rows.push(row);
              log(
                `   concurrency ${connections}: ${demoFigures.roundTripsPerSecond} round trips/s (${demoFigures.requestsPerSecond} requests/s, p50 ${demoFigures.latencyMs.p50} ms, ` +
                  `p99 ${demoFigures.latencyMs.p99} ms); bare ${bareFigures.requestsPerSecond} requests/s (p99 ${bareFigures.latencyMs.p99} ms); per request ${row.overheadRatio}× the bare route`,
              );
              log(
                `   server CPU ${demoFigures.cpuMsPerRoundTrip} ms per round trip; event-loop delay p99 ${demoFigures.loopDelayMs?.p99} ms; ` +
                  `essential-work floor ${essentialFigures.roundTripsPerSecond} round trips/s: time per round trip ${row.essentialRatio}× the floor`,
              );
              const failed = Object.entries(demoFigures.failures).filter(([k]) => !k.startsWith('retrieve deferred'));
              if (failed.length > 0) log(`   failed requests: ${failed.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
            }
            const autocannonVersion = JSON.parse(readFileSync(join(ROOT, 'node_modules/autocannon/package.json'), 'utf8')).version;
            results.backend = {
              autocannon: autocannonVersion,
              durationSeconds: settings.durationSeconds,
              stepsPerRoundTrip: STEPS.length,
              steps: STEPS,
              rows,
            };
          } finally {
            events.close();
          }
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

if (has('memory')) {
  await phase(
    `6. Server memory (${settings.memoryCount.toLocaleString('en')} open invitations, then as many off-the-record values)`,
    async () => {
      const sitesFile = memorySitesFile(settings.memoryCount);
      const demo = await startDemo({ port: PORTS.brand, pciPort: PORTS.pci, label: 'memory', sitesFile, gcOnSignal: true });
      try {
        const agent = await agentSetup(demo);
        results.memory = await measureMemory({ demo, ...agent, publicJwk: agent.keys.publicJwk, count: settings.memoryCount, log });
        if (results.memory.openInvitations < settings.memoryCount || results.memory.offTheRecordValues < settings.memoryCount) {
          results.notes.push(
            `The memory run completed ${results.memory.openInvitations} open invitations and ${results.memory.offTheRecordValues} off-the-record values of ${settings.memoryCount} each.`,
          );
        }
      } finally {
        await demo.stop();
        rmSync(demo.dataDir, { recursive: true, force: true });
        rmSync(join(sitesFile, '..'), { recursive: true, force: true });
      }
    },
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
results.goals = goalsOf(results);

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
writeFileSync(join(outDir, 'results.md'), await formatted(markdownReport(results), join(outDir, 'results.md')));
writeFileSync(join(outDir, 'chart.svg'), resultsChart(results));
if (outDir === join(ROOT, 'bench')) await writeReadmeTable(results);

log('\n== Goals');
for (const g of results.goals)
  log(
    `   ${g.verdict === 'met' ? 'met    ' : 'NOT MET'}  ${g.label}: ${g.unit === 'bytes' ? kB(g.value) : round(g.value, 2)}${g.unit === 'bytes' ? '' : ` ${g.unit}`} (${g.op} ${g.unit === 'bytes' ? kB(g.limit) : g.limit})${g.fails ? ' [budget]' : ''}`,
  );
log(`\nWrote ${join(outDir, 'results.json')}, results.md and chart.svg`);

const broken = brokenBudgets(results.goals);
if (broken.length > 0) {
  log('');
  for (const g of broken) log(`SIZE BUDGET BROKEN: ${g.label}: ${kB(g.value)} > ${kB(g.limit)}`);
}
if (failures.length > 0) {
  log('');
  for (const failure of failures) log(`MEASUREMENT FAILED: ${failure}`);
}
process.exit(broken.length > 0 || failures.length > 0 ? 1 : 0);
