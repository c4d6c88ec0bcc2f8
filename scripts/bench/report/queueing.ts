// Section 4's queueing floor of the per-request p99 at concurrency 64. By Little's law, with c
// requests always in flight, the mean time per request is c ÷ requests/s. A p99 is under the mean
// only when the slowest 1 % of requests are far slower than the rest (not so under a steady load),
// so in practice a p99 under the goal needs a mean under it too: more than c ÷ goal requests per
// second. Pure: no I/O.
import { fmt, ms } from '../markdown.ts';
import type { Results, RoundTripRow } from '../results.ts';

export const QUEUEING_HEADING = "### The p99's queueing floor";
/** The per-request p99 goal at concurrency 64, in ms (report/round-trips.ts). */
export const P99_GOAL_MS = 50;

/** The mean latency that a row's throughput implies, and the throughput that a p99 under `goalMs` needs at the least. */
export function queueingFloor(row: RoundTripRow, stepsPerRoundTrip: number, goalMs = P99_GOAL_MS) {
  const rps = row.demo.requestsPerSecond;
  const neededRequestsPerSecond = row.connections / (goalMs / 1000);
  return {
    impliedMeanMs: rps && rps > 0 ? (row.connections / rps) * 1000 : null,
    neededRequestsPerSecond,
    neededRoundTripsPerSecond: neededRequestsPerSecond / stepsPerRoundTrip,
  };
}

/** The p99's queueing floor at concurrency 64; none without that row. */
export function queueingSection(r: Results): string[] {
  const b = r.backend;
  const row = b?.rows.find((x) => x.connections === 64);
  if (!b || !row) return [];
  const f = queueingFloor(row, b.stepsPerRoundTrip);
  return [
    '',
    QUEUEING_HEADING,
    '',
    `With ${row.connections} connections, ${row.connections} requests are always in flight, so by Little's law the mean time per request is ` +
      `${row.connections} ÷ requests/s. At the measured ${fmt(row.demo.requestsPerSecond, 0)} requests/s that is ` +
      `**${f.impliedMeanMs === null ? '–' : `${fmt(f.impliedMeanMs, 1)} ms`}** (autocannon's mean: ${ms(row.demo.latencyMs.mean)}; p99: ${ms(row.demo.latencyMs.p99)}). ` +
      'A p99 is under the mean only when the slowest 1 % of requests are far slower than the rest (here the mean is ' +
      `${row.demo.latencyMs.mean !== null && row.demo.latencyMs.mean <= row.demo.latencyMs.p99 ? 'below' : 'above'} the p99), so in practice ` +
      `a p99 under ${P99_GOAL_MS} ms at concurrency ${row.connections} needs a mean under it too, and so more than ` +
      `**${fmt(f.neededRequestsPerSecond, 0)} requests/s** (${fmt(f.neededRoundTripsPerSecond, 0)} round trips/s) at the least: ` +
      `the floor of this goal is throughput, ${f.impliedMeanMs === null ? '–' : `${fmt(f.neededRequestsPerSecond / (row.demo.requestsPerSecond ?? 1), 2)}×`} the measured.`,
  ];
}
