// The shape of bench/results.json: what scripts/bench.ts writes and what the report (report.ts,
// report/*.ts, cluster-report.ts) reads. Types only. Every measurement is optional (a run with
// --only leaves the others out), and the report reads older results files too, so fields it can do
// without are optional here.
import type { GcPausesByKind } from './gc-pauses.ts';
import type { ProfileSummary } from './profile/summary.ts';
import type { Goal, Summary } from './stats.ts';

/** The machine the bench ran on. */
export interface Machine {
  cpus?: number;
  cpuModel?: string | null;
  totalMemoryMB?: number;
  node?: string;
  platform?: string;
  chromium?: string | null;
  loadAverage?: { start: number | null; end: number | null };
}

/** Minified, min+gzip and min+brotli bytes. */
export interface SizeFigures {
  min: number;
  gzip: number;
  brotli: number;
}
/** One bundle's sizes with its heaviest locale, and English only; the floor has no budget. */
export interface BundleFigures extends SizeFigures {
  id: string;
  name: string;
  budget?: number | null;
  ok?: boolean;
  englishOnly: SizeFigures;
}
/** The bundle sizes (scripts/bench/sizes.ts). */
export interface SizesResults {
  bundles: (BundleFigures & { budget: number })[];
  floor?: BundleFigures | null;
}

/** Demo and floor, cold and warm. */
export interface ColdWarm<T> {
  cold: T;
  warm: T;
}
/** An emulated network (scripts/bench/browser-harness.ts's SLOW_NETWORK). */
export interface Network {
  latencyMs: number;
  downloadKbps: number;
  uploadKbps: number;
}
/** Open to interactive: the summaries, the ratios of the medians to the floor's, the samples. */
export interface OpenResults {
  runs: number;
  network?: Network;
  demo: ColdWarm<Summary>;
  floor: ColdWarm<Summary>;
  ratio: ColdWarm<number | null>;
  samples?: { demo: ColdWarm<(number | null)[]>; floor: ColdWarm<(number | null)[]> };
  leftOut?: string[];
}
/** One step of an open, as the median of its runs: ms after the click (or a duration, when the step says `(ms)`). */
export interface OpenStep {
  step: string;
  ms: number;
}
/** Where an open's time goes (open-steps.ts): the steps' medians, cold and warm, over `runs` runs of their own. */
export interface OpenSteps extends ColdWarm<OpenStep[]> {
  runs: number;
}
/** Submit to revealed. */
export interface SubmitToRevealedResults {
  runs: number;
  summary: Summary;
  samples?: (number | null)[];
  leftOut?: string[];
}
/** The decrypt time per form. */
export interface DecryptResults {
  warmup: number;
  summary: Summary;
}

/** autocannon's per-request latency, in ms. */
export interface Latency {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number | null;
}
/** One autocannon run's figures (scripts/bench/load.ts's measure()). */
export interface LoadFigures {
  connections?: number;
  seconds?: number | null;
  requests?: number;
  requestsPerSecond: number | null;
  roundTrips?: number;
  roundTripsPerSecond: number | null;
  latencyMs: Latency;
  roundTripMs: Summary;
  non2xx?: number;
  errors?: number;
  timeouts?: number;
  failures: Record<string, number>;
}
/** The event loop's delay in the demo process, in ms, and the garbage collector's pauses in the same time. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  gc?: GcPausesByKind;
}
/** The demo's figures of a run, with its CPU time and event-loop delay. */
export interface DemoFigures extends LoadFigures {
  cpuMs?: number | null;
  cpuMsPerRoundTrip?: number | null;
  loopDelayMs?: LoopDelay | null;
}
/** The essential-work floor's figures of a run, with the CPU time of the process that serves it. */
export interface EssentialFigures extends LoadFigures {
  cpuMs?: number | null;
  cpuMsPerRoundTrip?: number | null;
}
/** One concurrency's row: the three servers' figures and the demo's ratios to the floors. */
export interface RoundTripRow {
  connections: number;
  demo: DemoFigures;
  bare: LoadFigures;
  essential?: EssentialFigures;
  overheadRatio: number | null;
  essentialRatio?: number | null;
}
/** One process's profiled run (scripts/bench/phases/profile.ts): its round trips, its CPU time, and where its busy time went. */
export interface ProfiledRun {
  roundTrips: number;
  roundTripsPerSecond: number | null;
  cpuMs: number | null;
  cpuMsPerRoundTrip: number | null;
  profile: ProfileSummary;
}
/** The profiled runs, after the measured ones: the demo's and the essential-work floor's. */
export interface ProfileResults {
  connections: number;
  durationSeconds: number;
  /** node's sampling interval, in µs. */
  intervalUs: number;
  demo: ProfiledRun | null;
  essential: ProfiledRun | null;
}

/** The backend round trips. */
export interface BackendResults {
  autocannon?: string;
  durationSeconds: number;
  stepsPerRoundTrip: number;
  steps?: string[];
  rows: RoundTripRow[];
  profile?: ProfileResults;
}

/** What holds the resident set after a full GC, in bytes (scripts/bench/memory.ts). */
export interface MemoryBreakdown {
  rss: number;
  v8Heap: number;
  external: number;
  sqliteCacheAtMost: number;
  sqliteCacheLimit: number;
  databaseBytes: number;
  codeAndLibraries: number | null;
  mallocAndOther: number;
}
/** process.memoryUsage() after a full GC, and the breakdown. */
export interface HeapUsage {
  heapUsed: number;
  heapTotal?: number;
  external?: number;
  arrayBuffers?: number;
  breakdown?: MemoryBreakdown | null;
}
/** The server's memory. */
export interface MemoryResults {
  openInvitations: number;
  offTheRecordValues: number;
  conversations?: number;
  fillSeconds?: { openInvitations: number | null; offTheRecord: number | null };
  rssBytes: {
    baseline: number;
    baselineAfterGc: number;
    withOpenInvitations: number;
    withOpenInvitationsAfterGc: number;
    withBoth: number;
    withBothAfterGc: number;
    peak?: number;
  };
  heapAfterGc?: { baseline: HeapUsage | null; withOpenInvitations: HeapUsage | null; withBoth: HeapUsage | null };
}

/** Cores in use during a cluster run. */
export interface Cores {
  machine: number | null;
  measured: number | null;
  loadGenerator: number | null;
}
/** One configuration of the several-instance measurement (scripts/bench/cluster.ts). */
export interface ClusterRow {
  id: string;
  label: string;
  engines?: string;
  instances?: number;
  connections?: number;
  roundTripsPerSecond: number | null;
  requestsPerSecond?: number | null;
  latencyMs?: Latency;
  roundTripMs?: Summary;
  cpuMsPerRoundTrip?: Partial<Record<'node' | 'postgres' | 'redis' | 'proxy' | 'total', number | null>>;
  rssBytesPerInstance?: (number | null)[];
  cores?: Cores;
  errors?: number;
  failures?: Record<string, number>;
}
/** Whether a core was free for the second instance. */
export interface CoreFree {
  freeCores: number;
  free: boolean;
}
/** The several-instance measurement. */
export interface ClusterResults {
  connections: number;
  durationSeconds: number;
  cpus?: number;
  rows: ClusterRow[];
  scalingEfficiency?: { oneToTwo: number | null; coreFree?: CoreFree | null };
}

/** How the bench measures: browser runs per figure, seconds per load run, the memory run's count, the concurrencies. */
export interface BenchSettings {
  runs: number;
  durationSeconds: number;
  memoryCount: number;
  concurrencies: number[];
  clusterConnections: number;
}

/** bench/results.json. */
export interface Results {
  schema?: number;
  generatedAt?: string;
  machine?: Machine;
  settings?: BenchSettings & { measurements: string[] };
  notes?: string[];
  goals?: Goal[];
  sizes?: SizesResults;
  openToInteractive?: OpenResults;
  openToInteractiveSlow?: OpenResults & { network: Network; steps?: OpenSteps };
  submitToRevealed?: SubmitToRevealedResults;
  decrypt?: DecryptResults;
  backend?: BackendResults;
  memory?: MemoryResults;
  cluster?: ClusterResults;
}

/** A bar's colour: a goal met or not, or a figure for comparison. */
export type RowState = 'met' | 'not met' | 'info';
/** One bar of the chart, with a marker at `limit`. */
export interface ChartRow {
  label: string;
  value: number | null;
  limit?: number;
  state?: RowState;
}
/** A section of the chart: its bars on one scale. */
export interface ChartSection {
  title: string;
  digits?: number;
  rows: ChartRow[];
}
/** A goal's colour in the chart, by the goal's id. */
export type GoalState = (goalId: string) => RowState;
