// Types of open-to-interactive.mjs, for the TypeScript that imports it (sections.test.ts).
import type { ChartSection, Results, RowState } from '../report.d.mts';
import type { Goal } from '../stats.ts';

export function goals(results: Results): Goal[];
export function section(results: Results): string[];
export function chart(results: Results, state: (goalId: string) => RowState): ChartSection[];
