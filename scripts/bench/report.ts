// From results.json's object to the goal rows, the markdown report and the SVG chart: the header,
// the goals table and the notes here, each measurement's section in its own module under report/
// (the several instances' in cluster-report.ts). Pure: no I/O, so the unit tests (bench.test.ts)
// cover it.
import { clusterChartSections, clusterSection } from './cluster-report.ts';
import { cell, fmt, ms, table, times } from './markdown.ts';
import * as decrypt from './report/decrypt.ts';
import * as memory from './report/memory.ts';
import * as openToInteractive from './report/open-to-interactive.ts';
import * as roundTrips from './report/round-trips.ts';
import * as sizes from './report/sizes.ts';
import * as submitToRevealed from './report/submit-to-revealed.ts';
import { svgChart } from './report/svg-chart.ts';
import type { ChartSection, GoalState, Results, RowState } from './results.ts';
import { type Goal, kB } from './stats.ts';

export { svgChart } from './report/svg-chart.ts';

/** A measurement's part of the report: its section of results.md and its parts of the chart. */
interface Measurement {
  section(r: Results): string[];
  chart(r: Results, state: GoalState): ChartSection[];
}
/** A measurement with goals. */
interface WithGoals extends Measurement {
  goals(r: Results): Goal[];
}

/** The measurements with goals, in the order of the goals table. */
const WITH_GOALS: WithGoals[] = [sizes, openToInteractive, roundTrips, memory];
/** The sections of results.md, in their numbered order. */
const REPORT_ORDER: Measurement[] = [sizes, openToInteractive, submitToRevealed, roundTrips, decrypt, memory];
/** The sections of the chart: the browser's figures, then the server's. */
const CHART_ORDER: Measurement[] = [sizes, openToInteractive, submitToRevealed, decrypt, roundTrips, memory];

/** Every performance goal (sizes, memory, open times, CPU, latency), with its verdict. Only the size budgets fail the command. */
export function goalsOf(r: Results): Goal[] {
  return WITH_GOALS.flatMap((measurement) => measurement.goals(r));
}

function goalValue(g: Goal): string {
  if (g.unit === 'bytes') return `${kB(g.value)} (budget ${kB(g.limit)})`;
  if (g.unit === '×') return `${times(g.value)} (goal ${g.op} ${g.limit}×)`;
  if (g.unit === 'ms') return `${ms(g.value)} (goal ${g.op} ${g.limit} ms)`;
  if (g.unit === 'MB') return `${fmt(g.value, 1)} MB (goal ${g.op} ${g.limit} MB)`;
  return `${fmt(g.value, 1)} ${g.unit} (goal ${g.op} ${fmt(g.limit)} ${g.unit})`;
}

/** `2026-11-29 08:39 UTC` from an ISO time. */
const when = (iso: string | undefined): string =>
  iso && /^\d{4}-\d\d-\d\dT\d\d:\d\d/.test(iso) ? `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC` : (iso ?? 'an unknown date');

/** The markdown report (bench/results.md). */
export function markdownReport(r: Results): string {
  const goals = r.goals ?? goalsOf(r);
  const m = r.machine ?? {};
  const out: string[] = [];
  out.push('# Secure Forms — benchmark results');
  out.push('');
  out.push(
    `Measured by \`npm run bench\` on ${when(r.generatedAt)}: ${m.cpus ?? '?'} cores (${m.cpuModel ?? 'unknown CPU'}), ` +
      `${m.totalMemoryMB ? `${fmt(m.totalMemoryMB / 1024, 0)} GB memory, ` : ''}Node ${m.node ?? '?'}, ${m.chromium ? `Chromium ${m.chromium}, ` : ''}${m.platform ?? ''}. ` +
      `Load average (1 min) at the start ${fmt(m.loadAverage?.start, 2)}, at the end ${fmt(m.loadAverage?.end, 2)}: the machine is shared, so the ` +
      'figures are compared with floors measured in the same run. Raw figures: [results.json](results.json); chart: [chart.svg](chart.svg).',
  );
  out.push('');
  out.push('![Benchmark chart](chart.svg)');
  out.push('');
  out.push('## Goals');
  out.push('');
  out.push('Only the size budgets fail `npm run bench`; the other goals are reported.');
  out.push('');
  out.push(
    table(
      ['goal', 'measured', 'verdict'],
      goals.map((g) => [
        cell(g.label),
        goalValue(g),
        g.verdict === 'met'
          ? 'met'
          : g.fails
            ? `**${g.verdict.toUpperCase()}** (fails the command)`
            : `**${g.verdict}**${g.see && g.verdict === 'not met' ? `: see ${g.see}` : ''}`,
      ]),
      [0, 2],
    ),
  );

  for (const measurement of REPORT_ORDER) out.push(...measurement.section(r));
  out.push(...clusterSection(r));
  if (r.notes?.length) {
    out.push('');
    out.push('## Notes');
    out.push('');
    for (const note of r.notes) out.push(`- ${note}`);
  }
  out.push('');
  return out.join('\n');
}

/** The sections of the chart: one bar per figure, a marker at its goal or budget. */
export function chartSections(r: Results): ChartSection[] {
  const sections: ChartSection[] = [];
  const goals = r.goals ?? goalsOf(r);
  const state = (id: string): RowState => {
    const g = goals.find((x) => x.id === id);
    return !g ? 'info' : g.verdict === 'met' ? 'met' : 'not met';
  };
  for (const measurement of CHART_ORDER) sections.push(...measurement.chart(r, state));
  sections.push(...clusterChartSections(r));
  return sections;
}

/** The chart of a results object. */
export function resultsChart(r: Results): string {
  const m = r.machine ?? {};
  return svgChart({
    title: 'Secure Forms — benchmark',
    subtitle: `${when(r.generatedAt)} · ${m.cpus ?? '?'} cores · Node ${m.node ?? '?'} · load average ${m.loadAverage?.start ?? '?'} → ${m.loadAverage?.end ?? '?'} · dashed marker: goal or budget`,
    sections: chartSections(r),
  });
}
