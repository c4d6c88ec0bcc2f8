// The garbage collector's pauses during a load run, from the PerformanceObserver 'gc' entries that
// loop-delay.mjs collects in the demo process: how many, how long, and of which kind. Pure.
import type { GcPauses } from './profile/summary.ts';

/** One 'gc' performance entry: V8's kind of collection (perf_hooks' constants.NODE_PERFORMANCE_GC_*) and its duration in ms. */
export type GcEntry = [kind: number, ms: number];
/** The pauses, with the same figures per kind of collection. */
export interface GcPausesByKind extends GcPauses {
  byKind: Partial<Record<GcKind, { count: number; totalMs: number; longestMs: number }>>;
}
export type GcKind = 'minor' | 'major' | 'incremental' | 'weak callbacks';

/** perf_hooks' constants.NODE_PERFORMANCE_GC_MINOR, _MAJOR, _INCREMENTAL, _WEAKCB. */
const KINDS: Record<number, GcKind> = { 1: 'minor', 4: 'major', 8: 'incremental', 16: 'weak callbacks' };
const round2 = (n: number) => Math.round(n * 100) / 100;

/** The figures of a set of pauses. */
function figures(ms: readonly number[]) {
  return { count: ms.length, totalMs: round2(ms.reduce((a, b) => a + b, 0)), longestMs: round2(Math.max(0, ...ms)) };
}

/** The pauses of `entries`, in all and per kind. */
export function gcPausesOf(entries: readonly GcEntry[]): GcPausesByKind {
  const all = entries.map(([, ms]) => ms);
  const byKind: GcPausesByKind['byKind'] = {};
  for (const kind of Object.values(KINDS)) {
    const ms = entries.filter(([k]) => KINDS[k] === kind).map(([, d]) => d);
    if (ms.length > 0) byKind[kind] = figures(ms);
  }
  return { ...figures(all), atLeast10Ms: all.filter((ms) => ms >= 10).length, byKind };
}
