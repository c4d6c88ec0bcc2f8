// Round trips through several instances: the same load as the backend round trips (load.ts's
// demoSequence, autocannon) against, in turn, one process on SQLite (as `npm start` runs it, no
// proxy), then 1, 2 and 4 instances on PostgreSQL + Redis behind the round-robin proxy
// (scripts/cluster), each configuration on a fresh database. For each: round trips per second,
// per-request p99, and the CPU time (user + system, /proc) each process spent per round trip: the
// Node instances, PostgreSQL (the postmaster and its backends), Redis and the proxy (a process of
// its own); the memory of each instance at the end; and the scaling efficiency from 1 to 2
// instances (round trips/s with 2 ÷ twice those with 1), and beside it the cores the whole machine
// was busy (from /proc/stat: every process, the load generator's and anyone else's) and those the
// measured processes and the load generator (this process, autocannon) used, so that the verdict on
// the scaling goal ("where a core is free") says whether a core was free.
import { type Cluster, PROXY_SOURCE, startCluster } from '../cluster/cluster.ts';
import { freshDatabase } from '../cluster/database.ts';
import { type ProxyProcess, spawnProxy } from '../cluster/proxy-process.ts';
import { type Engines, startEngines } from '../engines/index.ts';
import { freePort } from '../../demo/server/src/test/free-port.ts';
import { Api, type VisitorConversation, generateInvitationKeyPair, sealedSubmission } from './api.ts';
import { coreFreeForScaling, scalingEfficiency } from './cluster-report.ts';
import { demoSequence, measure } from './load.ts';
import { cpuMsOf, machineTicks, memoryOf, postgresPids, redisPids } from './proc.ts';
import type { ClusterResults, ClusterRow } from './results.ts';
import { round } from './stats.ts';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

/** The configurations measured, in the report's order. */
export const CLUSTER_CONFIGS: { id: string; label: string; engines: 'sqlite' | 'postgres+redis'; instances: number }[] = [
  { id: 'sqlite-1', label: 'SQLite, one process', engines: 'sqlite', instances: 1 },
  { id: 'pg-1', label: 'PostgreSQL + Redis, 1 instance', engines: 'postgres+redis', instances: 1 },
  { id: 'pg-2', label: 'PostgreSQL + Redis, 2 instances', engines: 'postgres+redis', instances: 2 },
  { id: 'pg-4', label: 'PostgreSQL + Redis, 4 instances', engines: 'postgres+redis', instances: 4 },
];

/** The bench starts chats from one address far faster than a visitor may: lift that limit (as benchSitesFile does). */
const liftChatLimits = (file: { sites: Record<string, unknown>[] }) => ({
  sites: file.sites.map((site) => ({ ...site, conversationRateLimit: { windowSeconds: 60, perAddress: 100_000, perSite: 10_000_000 } })),
});

/** CPU ms of each pid now (null for one that is gone). */
const cpuOf = (pids: number[]): Record<string, number | null> => Object.fromEntries(pids.map((pid) => [pid, cpuMsOf(pid)]));

/** CPU spent between two readings, by the pids of the second (a process born in between counts from 0). */
const spent = (before: Record<string, number | null>, after: Record<string, number | null>) =>
  Object.entries(after).reduce((sum, [pid, ms]) => sum + (ms ?? 0) - (before[pid] ?? 0), 0);

/** What a cluster measurement needs. */
interface ClusterOptions {
  portBase: number;
  connections: number;
  durationSeconds: number;
  log: (line: string) => void;
}

/** Measure one configuration: start it, sign in, warm it up, then one measured autocannon run. */
async function measureConfig({
  config,
  engines,
  portBase,
  connections,
  durationSeconds,
  log,
}: ClusterOptions & { config: (typeof CLUSTER_CONFIGS)[number]; engines: Engines }): Promise<ClusterRow> {
  const pg = config.engines === 'sqlite' ? null : await freshDatabase(engines.databaseUrl!);
  let cluster: Cluster | undefined;
  let proxy: ProxyProcess | undefined;
  try {
    cluster = await startCluster({
      instances: config.instances,
      portBase,
      // Only the cluster's two proxies on fixed ports (portBase, +1); the instances and the measured proxy where the system finds room.
      freeInstancePorts: true,
      sites: liftChatLimits,
      // BENCH_DEMO_NODE_ARGS: node options for each instance too, for experiments (processes.ts).
      nodeOptions: (process.env.BENCH_DEMO_NODE_ARGS ?? '').split(/\s+/).filter(Boolean),
      ...(pg ? { databaseUrl: pg.url, redisUrl: engines.redisUrl } : {}),
    });
    const instancePids = cluster.instances.map((i) => i.pid);
    let target = `http://127.0.0.1:${cluster.instances[0]!.pciPort}`;
    if (config.engines !== 'sqlite') {
      // The proxy in a process of its own, so its CPU is its own (the cluster's in-process proxies stay idle).
      const port = await freePort();
      proxy = await spawnProxy({
        port,
        host: '127.0.0.1',
        upstreams: cluster.instances.map((i) => ({ host: '127.0.0.1', port: i.pciPort })),
        sourceAddress: PROXY_SOURCE,
      });
      target = `http://127.0.0.1:${port}`;
    }
    const api = new Api(target);
    const session = await api.login('alice', cluster.password);
    const keys = await generateInvitationKeyPair();
    const first = await api.startConversation('Cluster warm-up');
    await api.assign(session, first.id);
    const view = await api.openForm(first, await api.invite(session, first.id, keys.publicJwk));
    const { invitationId: _bound, ...envelopes } = await sealedSubmission(view);
    const retrieveOtks = new Map<string, string>();
    const events = await api.agentEvents(session, (e) => {
      if (e.type === 'submission') retrieveOtks.set(e.submissionId, e.retrieveOtk);
    });
    try {
      const conversations: VisitorConversation[] = [];
      for (let i = 0; i < connections; i++) {
        const conversation = await api.startConversation(`Cluster visitor ${i + 1}`);
        await api.assign(session, conversation.id);
        conversations.push(conversation);
      }
      const run = (duration: number) =>
        measure({
          url: target,
          connections,
          duration,
          makeRequests: (x) => demoSequence({ session, publicJwk: keys.publicJwk, envelopes, conversations, retrieveOtks, ...x }),
        });
      await run(3);
      retrieveOtks.clear();
      const engineUrl = (url: string | undefined) => (url ? Number(new URL(url).port) : null);
      const groups = () => ({
        node: instancePids,
        postgres: pg ? postgresPids(engineUrl(engines.databaseUrl)) : [],
        redis: pg ? redisPids(engineUrl(engines.redisUrl)) : [],
        proxy: proxy ? [proxy.pid] : [],
      });
      const before = Object.fromEntries(Object.entries(groups()).map(([name, pids]) => [name, cpuOf(pids)]));
      const machineBefore = machineTicks();
      const loadBefore = process.cpuUsage();
      const wallBefore = performance.now();
      const figures = await run(durationSeconds);
      const wallMs = performance.now() - wallBefore;
      const loadMs = (({ user, system }) => (user + system) / 1000)(process.cpuUsage(loadBefore));
      const machineAfter = machineTicks();
      const after = Object.fromEntries(Object.entries(groups()).map(([name, pids]) => [name, cpuOf(pids)]));
      const perRoundTrip = (ms: number | null) => (ms !== null && figures.roundTrips > 0 ? round(ms / figures.roundTrips, 2) : null);
      // A process this configuration does not have (no engines, no proxy on SQLite) is null, not 0.
      const cpuMs = Object.fromEntries(
        Object.keys(after).map((name) => [name, Object.keys(after[name]!).length > 0 ? spent(before[name]!, after[name]!) : null]),
      );
      const total = Object.values(cpuMs).reduce<number>((a, b) => a + (b ?? 0), 0);
      const memory = instancePids.map((pid) => memoryOf(pid)?.rss ?? null);
      // Cores in use during the run: the whole machine's share of busy ticks times its cores, and
      // the measured processes' CPU time plus the load generator's (this process) over the wall time.
      const cpus = os.cpus().length;
      const ticks = machineAfter.total - machineBefore.total;
      const cores = {
        machine: ticks > 0 ? round(((machineAfter.busy - machineBefore.busy) / ticks) * cpus, 2) : null,
        measured: round((total + loadMs) / wallMs, 2),
        loadGenerator: round(loadMs / wallMs, 2),
      };
      const row = {
        ...config,
        connections,
        roundTripsPerSecond: figures.roundTripsPerSecond,
        requestsPerSecond: figures.requestsPerSecond,
        latencyMs: figures.latencyMs,
        roundTripMs: figures.roundTripMs,
        cpuMsPerRoundTrip: {
          ...Object.fromEntries(Object.entries(cpuMs).map(([name, ms]) => [name, perRoundTrip(ms)])),
          total: perRoundTrip(total),
        },
        rssBytesPerInstance: memory,
        cores,
        errors: (figures.non2xx ?? 0) + (figures.errors ?? 0) + (figures.timeouts ?? 0),
        failures: figures.failures,
      };
      log(
        `   ${config.label}: ${row.roundTripsPerSecond} round trips/s, p99 ${row.latencyMs.p99} ms; CPU per round trip ` +
          `${Object.entries(row.cpuMsPerRoundTrip)
            .map(([name, ms]) => `${name} ${ms === null ? '–' : `${ms} ms`}`)
            .join(', ')}; RSS per instance ${memory.map((b) => (b === null ? '–' : `${(b / 2 ** 20).toFixed(1)} MB`)).join(', ')}; ` +
          `cores busy: machine ${cores.machine ?? '–'} of ${cpus}, measured processes and load generator ${cores.measured} (load generator ${cores.loadGenerator})`,
      );
      const failed = Object.entries(figures.failures).filter(([k]) => !k.startsWith('retrieve deferred'));
      if (failed.length > 0) log(`   failed requests: ${failed.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
      return row;
    } finally {
      events.close();
    }
  } finally {
    await proxy?.stop();
    await cluster?.stop();
    await pg?.drop();
  }
}

/** Every configuration in turn, on one pair of private engines (a fresh database per configuration). */
export async function measureCluster({ portBase, connections, durationSeconds, log }: ClusterOptions): Promise<ClusterResults> {
  const engines = await startEngines({ postgres: true, redis: true });
  try {
    const rows: ClusterRow[] = [];
    for (const config of CLUSTER_CONFIGS) rows.push(await measureConfig({ config, engines, portBase, connections, durationSeconds, log }));
    const scaling = scalingEfficiency(rows);
    const result: ClusterResults & { scalingEfficiency: NonNullable<ClusterResults['scalingEfficiency']> } = {
      connections,
      durationSeconds,
      cpus: os.cpus().length,
      rows,
      scalingEfficiency: { oneToTwo: scaling },
    };
    const core = coreFreeForScaling(result);
    result.scalingEfficiency.coreFree = core;
    log(
      `   scaling efficiency from 1 to 2 instances: ${scaling ?? '–'}` +
        (core
          ? `; ${core.freeCores} cores free with 1 instance: the ≥ 80 % goal ${core.free ? 'applies' : 'does not apply (no core was free)'}`
          : ''),
    );
    return result;
  } finally {
    await engines.stop();
  }
}
