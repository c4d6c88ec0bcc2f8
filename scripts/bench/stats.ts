// Pure helpers of the benchmark: percentiles, summaries, ratios and goal verdicts. No I/O, so the
// unit tests (bench.test.ts) cover them.

/** n, min, median, p95, p99, max and mean of a set of samples; null where there are none. */
export interface Summary {
  n: number;
  min: number | null;
  median: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}
/** How a measured value must compare with its goal's limit. */
export type Op = '<' | '<=' | '>' | '>=';
export type Verdict = 'met' | 'not met' | 'not measured';
/** A goal row of the report: what was measured, against what, and the verdict. */
export interface Goal {
  id: string;
  label: string;
  value: number | null;
  op: Op;
  limit: number;
  unit: string;
  verdict: Verdict;
  /** Whether a miss fails the command (the size budgets). */
  fails: boolean;
  /** Where the report explains a miss (`§4, …`): shown beside a verdict of not met. */
  see?: string;
}

/**
 * The p-th percentile (0..100) by the nearest-rank method: the smallest sample such that at least
 * p % of the samples are at or below it. It is always one of the samples, never an interpolation,
 * which is what latency percentiles usually mean. `undefined` for no samples.
 */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, not ${p}`);
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return undefined;
  const sorted = [...finite].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** The median as the mean of the two middle samples for an even count. */
export function median(values: readonly number[]): number | undefined {
  const finite = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (finite.length === 0) return undefined;
  const mid = finite.length >> 1;
  return finite.length % 2 ? finite[mid] : (finite[mid - 1]! + finite[mid]!) / 2;
}

/** n, min, median, p95, p99, max and mean of a set of samples, rounded to `digits` decimals. */
export function summarize(values: readonly number[], digits = 2): Summary {
  const finite = values.filter((v) => Number.isFinite(v));
  const r = (v: number | undefined) => (v === undefined ? null : round(v, digits));
  return {
    n: finite.length,
    min: r(finite.length ? Math.min(...finite) : undefined),
    median: r(median(finite)),
    p95: r(percentile(finite, 95)),
    p99: r(percentile(finite, 99)),
    max: r(finite.length ? Math.max(...finite) : undefined),
    mean: r(finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : undefined),
  };
}

/** `value` rounded to `digits` decimals; null when it is missing or not finite. */
export function round(value: number | null | undefined, digits = 2): number | null {
  if (value === null || value === undefined || !Number.isFinite(value)) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** a ÷ b, or null when either is missing or b is not positive. */
export function ratio(a: number | null | undefined, b: number | null | undefined, digits = 2): number | null {
  if (a === null || a === undefined || b === null || b === undefined) return null;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b <= 0) return null;
  return round(a / b, digits);
}

/** Whether a measured value meets a goal. `op` is how the value must compare with `limit`. */
export function verdict(value: number | null | undefined, goal: { op: Op; limit: number }): Verdict {
  if (value === null || value === undefined || !Number.isFinite(value)) return 'not measured';
  const ok =
    goal.op === '<'
      ? value < goal.limit
      : goal.op === '<='
        ? value <= goal.limit
        : goal.op === '>'
          ? value > goal.limit
          : value >= goal.limit;
  return ok ? 'met' : 'not met';
}

/** A goal row for the report: what was measured, against what, and the verdict. */
export function goal(
  id: string,
  label: string,
  value: number | null | undefined,
  op: Op,
  limit: number,
  unit: string,
  { fails = false, see }: { fails?: boolean; see?: string } = {},
): Goal {
  return { id, label, value: value ?? null, op, limit, unit, verdict: verdict(value, { op, limit }), fails, ...(see ? { see } : {}) };
}

/** The goals that fail the command (size budgets) and were not met. */
export function brokenBudgets(goals: readonly Goal[]): Goal[] {
  return goals.filter((g) => g.fails && g.verdict !== 'met');
}

/** Bytes as kB (1024) with one decimal, as the budgets are written. */
export function kB(bytes: number | null | undefined): string {
  return bytes === null || bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} kB`;
}

/**
 * Round trips per second from completion times, over the run less its ramp-up (the first quarter,
 * at least 1 s): a round trip's requests straddle the start, so counting from zero would
 * undercount at high concurrency. `completedAt` in ms, on the same clock as `start`.
 */
export function steadyRate(completedAt: readonly number[], start: number, durationMs: number): number | null {
  const from = start + Math.min(durationMs / 2, Math.max(1000, durationMs / 4));
  const to = start + durationMs;
  const n = completedAt.filter((t) => t >= from && t <= to).length;
  return to > from ? n / ((to - from) / 1000) : null;
}
