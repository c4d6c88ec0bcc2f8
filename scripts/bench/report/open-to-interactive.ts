// Open to interactive in the bench's reports (scripts/bench/browser.ts measures it), over loopback and
// on a slow network: the goals (demo ÷ floor), the tables, the chart's bars. Pure: no I/O.
import { type Goal, goal } from '../stats.ts';
import { cell, fmt, summaryTable, table, times } from '../markdown.ts';
import type { ChartSection, GoalState, OpenResults, OpenStep, OpenSteps, Results } from '../results.ts';

/** The demo's and the floor's timings, cold then warm. */
const demoAndFloor = (o: OpenResults): string =>
  summaryTable([
    ['demo, cold', o.demo.cold],
    ['floor, cold', o.floor.cold],
    ['demo, warm', o.demo.warm],
    ['floor, warm', o.floor.warm],
  ]);

/** This section's goals, with their verdicts. */
export function goals(r: Results): Goal[] {
  const goals: Goal[] = [];
  const o = r.openToInteractive;
  if (o) {
    goals.push(goal('open-cold', 'Open to interactive, first open (cold): median ÷ floor median', o.ratio.cold, '<=', 2, '×'));
    goals.push(goal('open-warm', 'Open to interactive, second open (warm): median ÷ floor median', o.ratio.warm, '<=', 2, '×'));
  }
  const slow = r.openToInteractiveSlow;
  if (slow) {
    const net = `${slow.network.latencyMs} ms RTT, ${slow.network.downloadKbps / 1000} Mbit/s`;
    goals.push(
      goal('open-cold-slow', `Open to interactive on a slow network (${net}), cold: median ÷ floor median`, slow.ratio.cold, '<=', 2, '×'),
    );
    goals.push(
      goal('open-warm-slow', `Open to interactive on a slow network (${net}), warm: median ÷ floor median`, slow.ratio.warm, '<=', 2, '×'),
    );
  }
  return goals;
}

/** This section of results.md: its lines, each section beginning with an empty one; none when not measured. */
export function section(r: Results): string[] {
  const out: string[] = [];
  const o = r.openToInteractive;
  if (o) {
    out.push('');
    out.push('## 2. Open to interactive');
    out.push('');
    out.push(
      `From the click on "Open secure form" to the first field of the form being focusable (present, enabled, rendered), in headless Chromium over loopback, ${o.runs} runs each. ` +
        "Cold: the first open in a fresh browser context (nothing cached); warm: a second open on the same page (a second form sent in the same chat; the floor's button pressed again). " +
        "The demo: the frame loads from the PCI origin, takes the visitor's conversation token by postMessage, opens the invitation and gets its form " +
        'in one request (POST invitations/:id/view), then renders. The floor: a static form of the same fields ' +
        'in an iframe from the same server, on the other loopback host name (cross-site like the real frame).',
    );
    out.push('');
    out.push(demoAndFloor(o));
    out.push('');
    out.push(`Ratio of medians, demo ÷ floor: cold ${times(o.ratio.cold)}, warm ${times(o.ratio.warm)} (goal: at most 2×).`);
  }

  const slow = r.openToInteractiveSlow;
  if (slow) {
    const n = slow.network;
    out.push('');
    out.push('### Open to interactive on a slow network');
    out.push('');
    out.push(
      `The same measurement under Chromium's network emulation, ${n.latencyMs} ms round trip, ${n.downloadKbps / 1000} Mbit/s down and ${n.uploadKbps} kbit/s up ` +
        `(Lighthouse's "Slow 4G"), for the demo and the floor alike, ${slow.runs} runs each. Cross-site frames run in the page's renderer here, so that ` +
        "the page's emulation covers the frame's requests too.",
    );
    out.push('');
    out.push(demoAndFloor(slow));
    out.push('');
    out.push(`Ratio of medians, demo ÷ floor: cold ${times(slow.ratio.cold)}, warm ${times(slow.ratio.warm)}.`);
    if (slow.steps) out.push(...stepsSection(slow.steps, slow.floor));
  }
  return out;
}

/** The step named `name` (or beginning with it: a resource may say it came from the cache). */
const stepAt = (steps: readonly OpenStep[], name: string): number | undefined =>
  (steps.find((s) => s.step === name) ?? steps.find((s) => s.step.startsWith(`${name} `)))?.ms;

/**
 * What the two round trips that follow each other after the click (the frame's page, then the view
 * request) cost on their own, against the floor's median; null when a step is missing.
 */
function twoRoundTrips(steps: readonly OpenStep[], floorMedian: number | null): string | null {
  const page = stepAt(steps, 'frame HTML response end');
  const viewStart = stepAt(steps, 'view request start');
  const viewEnd = stepAt(steps, 'frame got /v1/invitations/:id/view') ?? stepAt(steps, 'frame got /v1/forms/view');
  const field = stepAt(steps, 'first field focusable');
  if (page === undefined || viewStart === undefined || viewEnd === undefined || field === undefined || !floorMedian) return null;
  const view = viewEnd - viewStart;
  const both = page + view;
  return (
    `the frame's page arrived ${fmt(page)} ms after the click and the view request took ${fmt(view)} ms (${fmt(viewStart)} to ${fmt(viewEnd)}): ` +
    `${fmt(both)} ms together, ${times(both / floorMedian)} the floor's median (${fmt(floorMedian)} ms): the least this way of opening needs, with nothing between them. ` +
    `Between the two, ${fmt(viewStart - page)} ms went to the frame's first script, its \`ready\` and the host's \`open\`; ` +
    `after the view answer, ${fmt(field - viewEnd)} ms to the first field.`
  );
}

/** The steps of the slow-network opens, cold and warm, with what their two round trips cost alone. */
function stepsSection(steps: OpenSteps, floor: OpenResults['floor']): string[] {
  const out = [
    '',
    "#### Where a slow open's time goes",
    '',
    `The demo's opens again on the same network, ${steps.runs} runs of their own after the measured ones, each step read inside the pages ` +
      "(resource and navigation timing, the frame protocol's messages as they arrive; scripts/bench/open-steps.ts), in ms after the click, median of the runs. " +
      'A resource marked "(cache)" came from the HTTP cache: the warm-up page\'s preload, which the frame\'s own request waits for while it is on its way. ' +
      "After the click a first open needs two round trips, one after the other: the frame's page, then the frame's one request for the form, which can " +
      "leave only once the frame's first script has said `ready` and has the host's `open`; the floor needs the first only. A second open finds the " +
      "frame's page in the browser's cache, and needs the second only.",
  ];
  for (const kind of ['cold', 'warm'] as const) {
    out.push('');
    out.push(kind === 'cold' ? '**First open (cold).**' : '**Second open (warm).**');
    const alone = twoRoundTrips(steps[kind], floor[kind].median);
    if (alone) out[out.length - 1] += ` Here ${alone}`;
    out.push('');
    out.push(
      table(
        ['step', 'ms after the click'],
        steps[kind].map((s) => [cell(s.step), fmt(s.ms, 1)]),
      ),
    );
  }
  return out;
}

/** This section's parts of the chart; `state(id)` is a goal's colour. */
export function chart(r: Results, state: GoalState): ChartSection[] {
  const sections: ChartSection[] = [];
  const o = r.openToInteractive;
  if (o) {
    sections.push({
      title: 'Open to interactive, median (ms); marker: 2× the floor',
      digits: 0,
      rows: [
        { label: 'demo, cold', value: o.demo.cold.median, limit: (o.floor.cold.median ?? 0) * 2, state: state('open-cold') },
        { label: 'floor, cold', value: o.floor.cold.median, state: 'info' },
        { label: 'demo, warm', value: o.demo.warm.median, limit: (o.floor.warm.median ?? 0) * 2, state: state('open-warm') },
        { label: 'floor, warm', value: o.floor.warm.median, state: 'info' },
      ],
    });
  }
  return sections;
}
