// Open to interactive in the bench's reports (scripts/bench/browser.ts measures it), over loopback and
// on a slow network: the goals (demo ÷ floor), the tables, the chart's bars. Pure: no I/O.
import { type Goal, goal } from '../stats.ts';
import { summaryTable, times } from '../markdown.ts';
import type { ChartSection, GoalState, OpenResults, Results } from '../results.ts';

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
        'The demo: the chat page opens the invitation (POST open), the frame ' +
        'loads from the PCI origin, takes the view key by postMessage and redeems it (POST forms/view), then renders. The floor: a static form of the same fields ' +
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
