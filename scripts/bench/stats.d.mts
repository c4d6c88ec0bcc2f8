// Types of stats.mjs, for the TypeScript that imports it (bench.test.ts).
export interface Summary {
  n: number;
  min: number | null;
  median: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}
export type Op = '<' | '<=' | '>' | '>=';
export type Verdict = 'met' | 'not met' | 'not measured';
export interface Goal {
  id: string;
  label: string;
  value: number | null;
  op: Op;
  limit: number;
  unit: string;
  verdict: Verdict;
  fails: boolean;
}
export function percentile(values: readonly number[], p: number): number | undefined;
export function median(values: readonly number[]): number | undefined;
export function summarize(values: readonly number[], digits?: number): Summary;
export function round(value: number | null | undefined, digits?: number): number | null;
export function ratio(a: number | null | undefined, b: number | null | undefined, digits?: number): number | null;
export function verdict(value: number | null | undefined, goal: { op: Op; limit: number }): Verdict;
export function goal(
  id: string,
  label: string,
  value: number | null | undefined,
  op: Op,
  limit: number,
  unit: string,
  options?: { fails?: boolean },
): Goal;
export function brokenBudgets(goals: readonly Goal[]): Goal[];
export function kB(bytes: number | null | undefined): string;
export function steadyRate(completedAt: readonly number[], start: number, durationMs: number): number | null;
