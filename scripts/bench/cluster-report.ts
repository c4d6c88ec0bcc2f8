// The several-instance figures (scripts/bench/cluster.ts) in the bench's reports: a section of
// results.md and the README's table between its markers. Pure: no I/O, so the unit tests cover it.
import { fmt, mb, ms, table } from './markdown.ts';
import type { ChartSection, ClusterResults, ClusterRow, CoreFree, Results } from './results.ts';

const START = '<!-- bench: several instances -->';
const END = '<!-- end of bench: several instances -->';

/** Round trips/s with 2 instances ÷ twice those with 1 (1 = perfect scaling); null without both. */
export function scalingEfficiency(rows: readonly Pick<ClusterRow, 'id' | 'roundTripsPerSecond'>[]): number | null {
  const one = rows.find((r) => r.id === 'pg-1')?.roundTripsPerSecond;
  const two = rows.find((r) => r.id === 'pg-2')?.roundTripsPerSecond;
  return one && two !== undefined && two !== null ? Math.round((two / (2 * one)) * 100) / 100 : null;
}

/**
 * Whether a core was free for the second instance: the cores the whole machine left idle while
 * one instance ran (every process on it: the measured ones, the load generator, anyone else's),
 * at least one whole core. Null for results without the machine's cores.
 */
export function coreFreeForScaling(c: Pick<ClusterResults, 'cpus' | 'rows'> | undefined): CoreFree | null {
  const busy = c?.rows?.find((r) => r.id === 'pg-1')?.cores?.machine;
  if (busy === undefined || busy === null || !c?.cpus) return null;
  const freeCores = Math.round((c.cpus - busy) * 100) / 100;
  return { freeCores, free: freeCores >= 1 };
}

/** The scaling line: the efficiency, and beside it whether the goal applies to this run. */
function scalingLine(c: ClusterResults): string {
  const line =
    `Scaling efficiency from 1 to 2 instances: **${fmt(c.scalingEfficiency?.oneToTwo, 2)}** ` +
    '(round trips/s with 2 ÷ twice those with 1; 1 would be perfect)';
  const core = coreFreeForScaling(c);
  if (!core) return `${line}.`;
  const busyWith = (id: string) => fmt(c.rows.find((r) => r.id === id)?.cores?.machine, 2);
  return (
    `${line}; cores busy on the machine with 1 instance: ${busyWith('pg-1')} of ${c.cpus} (${fmt(core.freeCores, 2)} free), ` +
    `with 2: ${busyWith('pg-2')}, so ` +
    (core.free
      ? 'a core was free for the second instance: the ≥ 80 % goal applies.'
      : 'no core was free for the second instance: the ≥ 80 % goal does not apply to this run (the second instance took its CPU from the first, the engines, the proxy and the load generator).')
  );
}

const cpu = (value: number | null | undefined) => (value === null || value === undefined ? '–' : `${fmt(value, 2)} ms`);
const average = (list: readonly (number | null)[] | undefined) => {
  const known = (list ?? []).filter((v) => v !== null && v !== undefined);
  return known.length ? known.reduce((a, b) => a + b, 0) / known.length : null;
};

/** The table of the configurations, and the scaling line under it. */
export function clusterTable(c: ClusterResults): string[] {
  return [
    table(
      [
        'configuration',
        'round trips/s',
        'p99 per request',
        'CPU per round trip: Node',
        'PostgreSQL',
        'Redis',
        'proxy',
        'all',
        'RSS per instance',
        'errors',
      ],
      c.rows.map((row) => [
        row.label,
        `**${fmt(row.roundTripsPerSecond, 1)}**`,
        ms(row.latencyMs?.p99),
        cpu(row.cpuMsPerRoundTrip?.node),
        cpu(row.cpuMsPerRoundTrip?.postgres),
        cpu(row.cpuMsPerRoundTrip?.redis),
        cpu(row.cpuMsPerRoundTrip?.proxy),
        cpu(row.cpuMsPerRoundTrip?.total),
        mb(average(row.rssBytesPerInstance)),
        String(row.errors ?? 0),
      ]),
    ),
    '',
    scalingLine(c),
  ];
}

/** The section of results.md; nothing when the cluster was not measured. */
export function clusterSection(r: Results): string[] {
  const c = r.cluster;
  if (!c) return [];
  return [
    '',
    '## 7. Several instances',
    '',
    `The backend round trips (section 4's load, concurrency ${c.connections}, ${c.durationSeconds} s after a 3 s warm-up) against the compiled server ` +
      'in one process on SQLite (as `npm start` runs it, no proxy), then 1, 2 and 4 instances on one PostgreSQL database and one Redis behind the ' +
      "round-robin proxy of scripts/cluster (in a process of its own), each configuration on a fresh database. The agent's event stream reaches one " +
      'instance; the retrieve keys of submissions made through the others reach it through Redis. CPU per round trip: user + system time ' +
      '(/proc) of the Node instances, of PostgreSQL (the postmaster and its backends), of Redis and of the proxy during the run, ÷ its round trips. ' +
      `RSS: each instance at the end of its run, averaged. The instances, the engines, the proxy and the load generator share the machine's ` +
      `${r.machine?.cpus ?? '?'} cores: more instances than cores compete for them rather than add any.`,
    '',
    ...clusterTable(c),
  ];
}

/** The chart's section: round trips per second of each configuration; none when not measured. */
export function clusterChartSections(r: Results): ChartSection[] {
  const c = r.cluster;
  if (!c) return [];
  return [
    {
      title: `Several instances: round trips per second, concurrency ${c.connections}`,
      digits: 1,
      rows: c.rows.map((row) => ({ label: row.label, value: row.roundTripsPerSecond, state: 'info' })),
    },
  ];
}

/** `readme` with the table between its markers rendered from `results` (not Prettier-formatted). */
export function withClusterTable(readme: string, results: Results): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${START} … ${END} section.`);
  const body = results.cluster
    ? clusterTable(results.cluster).join('\n')
    : 'Not measured yet: `npm run bench` (or `npm run bench -- --only cluster --out bench`) fills this table.';
  return `${readme.slice(0, start)}${START}\n\n${body}\n\n${readme.slice(end)}`;
}
