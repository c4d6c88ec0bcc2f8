// Types of report.mjs, for the TypeScript that imports it (bench.test.ts). A results object is
// what scripts/bench.mjs writes to bench/results.json; the report reads it loosely.
import type { Goal } from './stats.ts';

export type Results = Record<string, unknown>;
export type RowState = 'met' | 'not met' | 'info';
export interface ChartRow {
  label: string;
  value: number | null;
  limit?: number;
  state?: RowState;
}
export interface ChartSection {
  title: string;
  digits?: number;
  rows: ChartRow[];
}
export function goalsOf(results: Results): Goal[];
export function markdownReport(results: Results): string;
export function chartSections(results: Results): ChartSection[];
export function svgChart(chart: { title: string; subtitle?: string; sections: ChartSection[] }): string;
export function resultsChart(results: Results): string;
