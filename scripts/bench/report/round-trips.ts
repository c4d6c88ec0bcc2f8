// The backend round trips in the bench's reports (scripts/bench/load.ts measures them): the goals
// (throughput, CPU, latency, the floors), the table, the chart's bars. Pure: no I/O.
import { type Goal, goal } from '../stats.ts';
import { fmt, ms, table, times } from '../markdown.ts';
import type { BackendResults, ChartSection, GoalState, Results } from '../results.ts';
import { CPU_GOAL_MS, CPU_HEADING, LOOP_HEADING, cpuSection, loopSection } from './cpu-profile.ts';
import { P99_GOAL_MS, QUEUEING_HEADING, queueingSection } from './queueing.ts';

/** A goal's pointer to the subsection of §4 that explains a miss. */
const see = (heading: string) => `§4, *${heading.replace(/^#+ /, '')}*`;

/** This section's goals, with their verdicts. */
export function goals(r: Results): Goal[] {
  const goals: Goal[] = [];
  const rows = r.backend?.rows ?? [];
  if (rows.length > 0) {
    const profiled = r.backend?.profile?.demo ? { see: see(CPU_HEADING) } : {};
    const best = Math.max(...rows.map((row) => row.demo.roundTripsPerSecond ?? 0));
    goals.push(goal('throughput', `Round trips per second, best concurrency (${r.machine?.cpus ?? '?'} cores)`, best, '>=', 650, '/s'));
    const cpu = rows.map((row) => row.demo.cpuMsPerRoundTrip).filter((v) => typeof v === 'number');
    if (cpu.length > 0)
      goals.push(goal('cpu', 'Server CPU per full round trip, best concurrency', Math.min(...cpu), '<=', CPU_GOAL_MS, 'ms', profiled));
    const at64 = rows.find((row) => row.connections === 64);
    if (at64)
      goals.push(
        goal('p99-64', 'Per-request p99 latency at concurrency 64', at64.demo.latencyMs.p99, '<', P99_GOAL_MS, 'ms', {
          see: see(QUEUEING_HEADING),
        }),
      );
    if (at64?.demo.loopDelayMs)
      goals.push(
        goal('loop-delay-64', 'Event-loop delay p99 during the load, concurrency 64', at64.demo.loopDelayMs.p99, '<', 20, 'ms', {
          ...(r.backend?.profile?.demo || at64.demo.loopDelayMs.gc ? { see: see(LOOP_HEADING) } : {}),
        }),
      );
    for (const row of rows.filter((row) => row.essentialRatio !== undefined)) {
      goals.push(
        goal(
          `essential-${row.connections}`,
          `Time per round trip ÷ essential-work floor, concurrency ${row.connections}`,
          row.essentialRatio,
          '<=',
          2,
          '×',
          profiled,
        ),
      );
    }
    for (const row of rows) {
      goals.push(
        goal(
          `overhead-${row.connections}`,
          `Time per request ÷ bare Hono route, concurrency ${row.connections}`,
          row.overheadRatio,
          '<=',
          2,
          '×',
        ),
      );
    }
  }
  return goals;
}

/** A count of requests in words. */
const inWords = (n: number) => ['one', 'two', 'three', 'four', 'five', 'six'][n - 1] ?? String(n);

/**
 * Whether `b` measured the round trip from before the frame opened a form in one request: the
 * host's open for a view key, then the frame's view for the submit key (five requests in all).
 * A results.json from then is described as it was measured, not as today's four requests.
 */
export const twoRequestOpen = (b: Pick<BackendResults, 'steps' | 'stepsPerRoundTrip'>): boolean =>
  b.steps ? b.steps.includes('open') : b.stepsPerRoundTrip === 5;

/** The paragraph that says what section 4's load measured: the sequence, the floors, the CPU. */
function sequenceText(b: BackendResults): string {
  const n = inWords(b.stepsPerRoundTrip);
  const old = twoRequestOpen(b);
  const sequence = old
    ? 'create the invitation, open (the conversation token for a view key), view (the view key for the form and a submit key), submit, ' +
      "retrieve (the retrieve OTK from the agent's event stream)"
    : 'create the invitation, open the form (`POST /v1/invitations/:iid/view?locale=en`, the conversation token in its header, no body: the open ' +
      "counted, and the form in English with its submit key, as the frame makes it), submit, retrieve (the retrieve OTK from the agent's event stream)";
  const then = old
    ? ' This is the round trip from before the frame opened a form in one request (the host page opened the invitation for a view key, ' +
      'the frame then viewed the form with it): its figures do not compare with those of the four-request round trip measured since.'
    : '';
  const floorWork = old
    ? 'store the invitation, issue three one-time keys and spend each atomically, store the submission in the transaction that spends the submit key'
    : 'one commit per request: store the invitation, count the open with its submit key, spend the submit key with the submission and its ' +
      'retrieve key, spend the retrieve key';
  return (
    `autocannon ${b.autocannon ?? ''} against the running demo, ${b.durationSeconds} s per concurrency. One round trip = ${b.stepsPerRoundTrip} requests: ` +
    `${sequence}, taking turns over as many conversations as connections.${then} The bare route: the same generator, the ` +
    `same ${n} requests (methods, headers, body sizes) against a bare \`@hono/node-server\` route that parses the body and answers a small JSON, in the same run. ` +
    `Latency is per request (autocannon); the round-trip latency is the time of its own ${n} requests. ` +
    'Time per request ÷ bare = bare requests/s ÷ demo requests/s at the same concurrency. ' +
    `The essential-work floor: the same ${n} requests against routes that do only a round trip's irreducible durable work in the same SQLite ` +
    `configuration (${floorWork}; scripts/bench/essential-routes.mjs); ÷ essential = its round trips/s ÷ the demo's. Server CPU: the demo process's user + ` +
    "system time during the run (/proc) ÷ its round trips; the floor's CPU the same, of the bench's server process. Event-loop delay: " +
    'perf_hooks.monitorEventLoopDelay in the demo process during the run.'
  );
}

/** This section of results.md: its lines, each section beginning with an empty one; none when not measured. */
export function section(r: Results): string[] {
  const out: string[] = [];
  const b = r.backend;
  if (b) {
    out.push('');
    out.push('## 4. Backend round trips');
    out.push('');
    out.push(sequenceText(b));
    out.push('');
    out.push(
      table(
        [
          'concurrency',
          'round trips/s',
          'requests/s',
          'p50',
          'p99',
          'round trip p50',
          'round trip p99',
          'bare requests/s',
          'bare p50',
          'bare p99',
          '÷ bare',
          'essential round trips/s',
          '÷ essential',
          'server CPU per round trip',
          'essential CPU per round trip',
          'loop delay p99',
          'errors',
        ],
        b.rows.map((row) => [
          String(row.connections),
          `**${fmt(row.demo.roundTripsPerSecond, 1)}**`,
          fmt(row.demo.requestsPerSecond, 0),
          ms(row.demo.latencyMs.p50),
          ms(row.demo.latencyMs.p99),
          ms(row.demo.roundTripMs.median),
          ms(row.demo.roundTripMs.p99),
          fmt(row.bare.requestsPerSecond, 0),
          ms(row.bare.latencyMs.p50),
          ms(row.bare.latencyMs.p99),
          times(row.overheadRatio),
          fmt(row.essential?.roundTripsPerSecond, 1),
          times(row.essentialRatio),
          row.demo.cpuMsPerRoundTrip === undefined || row.demo.cpuMsPerRoundTrip === null
            ? '–'
            : `${fmt(row.demo.cpuMsPerRoundTrip, 2)} ms`,
          typeof row.essential?.cpuMsPerRoundTrip === 'number' ? `${fmt(row.essential.cpuMsPerRoundTrip, 2)} ms` : '–',
          row.demo.loopDelayMs ? `${fmt(row.demo.loopDelayMs.p99, 1)} ms` : '–',
          String((row.demo.non2xx ?? 0) + (row.demo.errors ?? 0) + (row.demo.timeouts ?? 0)),
        ]),
      ),
    );
    out.push(...queueingSection(r), ...cpuSection(r), ...loopSection(r));
  }
  return out;
}

/** This section's parts of the chart; `state(id)` is a goal's colour. */
export function chart(r: Results, state: GoalState): ChartSection[] {
  const sections: ChartSection[] = [];
  const b = r.backend;
  if (b) {
    sections.push({
      title: `Round trips per second (marker: 650); bare route: its requests/s ÷ ${b.stepsPerRoundTrip}`,
      digits: 1,
      rows: b.rows.flatMap((row) => [
        {
          label: `demo, concurrency ${row.connections}`,
          value: row.demo.roundTripsPerSecond,
          limit: 650,
          state: (row.demo.roundTripsPerSecond ?? 0) >= 650 ? 'met' : 'not met',
        },
        { label: `bare, concurrency ${row.connections}`, value: (row.bare.requestsPerSecond ?? 0) / b.stepsPerRoundTrip, state: 'info' },
      ]),
    });
    sections.push({
      title: 'Per-request p99 latency (ms); marker at concurrency 64: 50 ms',
      digits: 0,
      rows: b.rows.flatMap((row) => [
        {
          label: `demo, concurrency ${row.connections}`,
          value: row.demo.latencyMs.p99,
          ...(row.connections === 64 ? { limit: 50, state: state('p99-64') } : { state: 'info' }),
        },
        { label: `bare, concurrency ${row.connections}`, value: row.bare.latencyMs.p99, state: 'info' },
      ]),
    });
  }
  return sections;
}
