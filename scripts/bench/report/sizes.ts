// The bundle sizes in the bench's reports (scripts/bench/sizes.ts measures them): the budgets, which
// fail the command, the table, the chart's bars. Pure: no I/O.
import { type Goal, goal, kB, ratio } from '../stats.ts';
import { cell, table, times } from '../markdown.ts';
import type { ChartSection, GoalState, Results } from '../results.ts';

/** This section's goals, with their verdicts. */
export function goals(r: Results): Goal[] {
  const goals: Goal[] = [];
  for (const b of r.sizes?.bundles ?? []) {
    goals.push(goal(`size-${b.id}`, `${b.name}: min+gzip with the heaviest locale`, b.gzip, '<=', b.budget, 'bytes', { fails: true }));
  }
  return goals;
}

/** This section of results.md: its lines, each section beginning with an empty one; none when not measured. */
export function section(r: Results): string[] {
  const out: string[] = [];
  const sizes = r.sizes;
  if (sizes) {
    out.push('');
    out.push('## 1. Bundle sizes');
    out.push('');
    out.push(
      'What one visitor or agent downloads: every script that always loads plus the heaviest lazily loaded locale chunk (only one is ever used); ' +
        'min, min+gzip and min+brotli include that chunk, "English only" leaves it out. Each file compressed on its own (gzip -9, brotli -q 11). ' +
        'The budgets are on min+gzip with the heaviest locale. The floor is a bare Lit element with one input, built the same way.',
    );
    out.push('');
    const rows = [...sizes.bundles, ...(sizes.floor ? [{ ...sizes.floor, budget: null }] : [])].map((b) => [
      cell(b.name),
      kB(b.min),
      `**${kB(b.gzip)}**`,
      kB(b.brotli),
      kB(b.englishOnly.gzip),
      kB(b.englishOnly.brotli),
      b.budget ? `${kB(b.budget)} ${b.gzip <= b.budget ? 'ok' : '**over**'}` : '–',
      sizes.floor ? times(ratio(b.gzip, sizes.floor.gzip)) : '–',
    ]);
    out.push(
      table(
        ['bundle', 'min', 'min+gzip', 'min+brotli', 'English only, gzip', 'English only, brotli', 'budget (gzip)', '÷ floor (gzip)'],
        rows,
      ),
    );
  }
  return out;
}

/** This section's parts of the chart; `state(id)` is a goal's colour. */
export function chart(r: Results, state: GoalState): ChartSection[] {
  const sections: ChartSection[] = [];
  if (r.sizes) {
    sections.push({
      title: 'Bundle size, min+gzip with the heaviest locale (kB)',
      digits: 1,
      rows: [
        ...r.sizes.bundles.map((b) => ({
          label: b.id === 'loader' ? 'host-page script' : b.id === 'frame' ? 'form frame' : 'panel',
          value: b.gzip / 1024,
          limit: b.budget / 1024,
          state: state(`size-${b.id}`),
        })),
        ...(r.sizes.floor ? [{ label: 'floor (Lit + 1 input)', value: r.sizes.floor.gzip / 1024, state: 'info' as const }] : []),
      ],
    });
  }
  return sections;
}
