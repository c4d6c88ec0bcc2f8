// Section 4's account of the backend goals it does not meet: where a round trip's CPU goes, from
// the profiled runs (phases/profile.ts), demo beside the essential-work floor; and the event loop's
// long turns that are not requests, the garbage collector's pauses, in the measured runs
// (loop-delay.mjs) and in the profiled ones. Pure: no I/O.
import { CATEGORIES, type CategoryId } from '../profile/rules.ts';
import { cell, fmt, table } from '../markdown.ts';
import type { ProfiledRun, Results } from '../results.ts';

export const CPU_HEADING = "### Where a round trip's CPU goes";
export const LOOP_HEADING = "### The event loop's long turns";
/** The goal of the server's CPU per round trip, in ms (report/round-trips.ts). */
export const CPU_GOAL_MS = 1.5;

/** A category's CPU per round trip, in ms: its share of the busy samples × the run's measured CPU per round trip. */
export function msPerRoundTrip(run: ProfiledRun | null | undefined, id: CategoryId): number | null {
  const share = run?.profile.categories.find((c) => c.id === id)?.share;
  if (!run || typeof run.cpuMsPerRoundTrip !== 'number') return null;
  return (share ?? 0) * run.cpuMsPerRoundTrip;
}

/** The categories in which the demo spends the most CPU per round trip beyond the floor, largest first. */
export function excessOverFloor(demo: ProfiledRun, floor: ProfiledRun | null): { id: CategoryId; ms: number }[] {
  return demo.profile.categories
    .map((c) => ({ id: c.id, ms: (msPerRoundTrip(demo, c.id) ?? 0) - (msPerRoundTrip(floor, c.id) ?? 0) }))
    .filter((c) => c.ms > 0)
    .sort((a, b) => b.ms - a.ms);
}

const msCell = (value: number | null | undefined, digits = 2) => (value === null || value === undefined ? '–' : `${fmt(value, digits)} ms`);
const pct = (share: number | null | undefined) => (share === null || share === undefined ? '–' : `${fmt(share * 100, 1)} %`);

/** The top functions of one run by self time. */
function topTable(run: ProfiledRun): string {
  return table(
    ['function', 'where', 'category', 'share of busy time', 'CPU per round trip'],
    run.profile.top.map((f) => [
      cell(f.name),
      cell(f.where),
      f.category,
      pct(f.share),
      msCell(typeof run.cpuMsPerRoundTrip === 'number' ? f.share * run.cpuMsPerRoundTrip : null, 3),
    ]),
    [0, 1, 2],
  );
}

/** Where a round trip's CPU goes, demo beside floor; none without a profiled demo run. */
export function cpuSection(r: Results): string[] {
  const p = r.backend?.profile;
  const demo = p?.demo;
  if (!p || !demo) return [];
  const floor = p.essential;
  const measured = r.backend?.rows.find((row) => row.connections === p.connections);
  const ids = (Object.keys(CATEGORIES) as CategoryId[]).filter((id) =>
    [demo, floor].some((run) => run?.profile.categories.some((c) => c.id === id)),
  );
  ids.sort((a, b) => (msPerRoundTrip(demo, b) ?? 0) - (msPerRoundTrip(demo, a) ?? 0));
  const excess = excessOverFloor(demo, floor ?? null).slice(0, 4);
  const floorMeasured = measured?.essential?.cpuMsPerRoundTrip;
  const out: string[] = ['', CPU_HEADING, ''];
  out.push(
    `A separate run after the measured ones, ${p.durationSeconds} s at concurrency ${p.connections}, against a fresh demo started with \`node --cpu-prof\` ` +
      `(a sample every ${fmt(p.intervalUs / 1000, 0)} ms) and, likewise, a fresh essential-work floor; profiling never touches the figures above. ` +
      "Each category's CPU per round trip is its share of the process's busy samples (every thread's, idle left out) × the CPU per round trip " +
      "measured in that run (/proc); a native call's time is its JavaScript caller's (better-sqlite3's statements are the statement cache's and Kysely's driver's), " +
      'and a busy sample includes time blocked in a call (a sync of the log), so the SQLite share is an upper bound. The rules: scripts/bench/profile/rules.ts.',
  );
  out.push('');
  out.push(
    `**The floor:** the round trip's irreducible durable work costs ${msCell(floor?.cpuMsPerRoundTrip)} of CPU per round trip in this stack ` +
      `(${msCell(floorMeasured)} in the measured run; Node, @hono/node-server, better-sqlite3), of which SQLite ${msCell(msPerRoundTrip(floor, 'sqlite'))} ` +
      `and node's HTTP server ${msCell(msPerRoundTrip(floor, 'http'))}. ` +
      (typeof floorMeasured === 'number'
        ? floorMeasured < CPU_GOAL_MS
          ? `The goal (≤ ${CPU_GOAL_MS} ms) leaves ${msCell(CPU_GOAL_MS - floorMeasured)} per round trip for everything beyond that work. `
          : `The goal (≤ ${CPU_GOAL_MS} ms) is below the floor itself in this run. `
        : '') +
      `The demo, in the same kind of run, ${msCell(demo.cpuMsPerRoundTrip)} (${msCell(measured?.demo.cpuMsPerRoundTrip)} in the measured run). ` +
      (excess.length > 0
        ? `Where it spends most beyond the floor: ${excess.map((e) => `${CATEGORIES[e.id].split(/[:(]/)[0]!.trim()} +${fmt(e.ms, 2)} ms`).join(', ')}.`
        : ''),
  );
  out.push('');
  out.push(
    table(
      ['where the CPU goes', 'demo, per round trip', 'demo, share', 'floor, per round trip', 'floor, share'],
      [
        ...ids.map((id) => [
          cell(CATEGORIES[id]),
          msCell(msPerRoundTrip(demo, id)),
          pct(demo.profile.categories.find((c) => c.id === id)?.share ?? 0),
          floor ? msCell(msPerRoundTrip(floor, id)) : '–',
          floor ? pct(floor.profile.categories.find((c) => c.id === id)?.share ?? 0) : '–',
        ]),
        [
          '**all (CPU per round trip of the profiled run)**',
          `**${msCell(demo.cpuMsPerRoundTrip)}**`,
          '100 %',
          `**${msCell(floor?.cpuMsPerRoundTrip)}**`,
          floor ? '100 %' : '–',
        ],
      ],
    ),
  );
  out.push('');
  out.push(`The demo's top functions by self time (${fmt(demo.roundTrips)} round trips, ${fmt(demo.profile.busyMs, 0)} ms busy):`);
  out.push('');
  out.push(topTable(demo));
  if (floor) {
    out.push('');
    out.push(`The floor's (${fmt(floor.roundTrips)} round trips, ${fmt(floor.profile.busyMs, 0)} ms busy):`);
    out.push('');
    out.push(topTable(floor));
  }
  return out;
}

/** A kind of collection's pauses, as `12 (longest 3.1 ms)`. */
const kindCell = (k: { count: number; longestMs: number } | undefined) => (k ? `${fmt(k.count)} (longest ${fmt(k.longestMs, 1)} ms)` : '–');

/** The event loop's long turns: the garbage collector's pauses in the measured runs and in the profiled ones; none without either. */
export function loopSection(r: Results): string[] {
  const b = r.backend;
  const p = b?.profile;
  const measured = (b?.rows ?? []).filter((row) => row.demo.loopDelayMs?.gc);
  if (!b || (!p?.demo && measured.length === 0)) return [];
  const out = ['', LOOP_HEADING];
  if (measured.length > 0) {
    out.push(
      '',
      "The garbage collector's pauses in the demo during each measured run (PerformanceObserver 'gc' entries, scripts/bench/loop-delay.mjs), " +
        "beside the event loop's delay: each pause is a turn at least that long in which no request is served; the rest of a long turn is the requests served in it " +
        '(their CPU: the table above).',
      '',
      table(
        [
          'concurrency',
          'loop delay p99',
          'loop delay max',
          'GC pauses',
          'per second',
          'longest',
          '≥ 10 ms',
          'of the wall time',
          'minor',
          'major',
          'incremental',
        ],
        measured.map((row) => {
          const d = row.demo.loopDelayMs!;
          const g = d.gc!;
          const seconds = row.demo.seconds ?? b.durationSeconds;
          return [
            String(row.connections),
            msCell(d.p99, 1),
            msCell(d.max, 1),
            fmt(g.count),
            fmt(g.count / seconds, 1),
            msCell(g.longestMs, 1),
            fmt(g.atLeast10Ms),
            pct(g.totalMs / (seconds * 1000)),
            kindCell(g.byKind.minor),
            kindCell(g.byKind.major),
            kindCell(g.byKind.incremental),
          ];
        }),
      ),
    );
  }
  if (p?.demo) {
    const row = (label: string, run: ProfiledRun | null) => {
      const g = run?.profile.gcPauses;
      return [
        label,
        g ? fmt(g.count) : '–',
        g ? fmt(g.count / p.durationSeconds, 1) : '–',
        msCell(g?.longestMs, 1),
        g ? fmt(g.atLeast10Ms) : '–',
        msCell(g?.totalMs, 0),
        g ? pct(g.totalMs / (p.durationSeconds * 1000)) : '–',
      ];
    };
    out.push(
      '',
      `The same in the profiled runs (concurrency ${p.connections}), demo beside the essential-work floor: the runs of consecutive samples in the ` +
        `garbage collector (to the sampling interval, ${fmt(p.intervalUs / 1000, 0)} ms).`,
      '',
      table(
        ['', 'GC pauses', 'per second', 'longest', '≥ 10 ms', 'in all', 'of the wall time'],
        [row('demo', p.demo), row('essential-work floor', p.essential)],
      ),
    );
  }
  return out;
}
