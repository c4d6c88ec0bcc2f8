// From V8 CPU profiles (node --cpu-prof: one .cpuprofile per thread of a process) to where the
// busy time went: per category (profile/rules.ts), the functions with the most self time, and the
// garbage collector's pauses. Pure: the profiles come in as parsed JSON.
//
// Written here rather than taken from a library: the .cpuprofile format is a tree of call frames
// and a list of samples (DevTools reads it as it is), the analysis tools that read it (DevTools,
// speedscope, 0x) are viewers without an API for our categories, and the walk is a few lines.
import type { Profiler } from 'node:inspector';
import { CATEGORIES, type CategoryId, type Frame, categoryOf } from './rules.ts';

/** A span of time on the profiles' clock, in microseconds: CLOCK_MONOTONIC, as process.hrtime.bigint() ÷ 1000 in any process of the machine. */
export interface Window {
  fromUs: number;
  toUs: number;
}
/** A category's busy time. */
export interface CategoryTime {
  id: CategoryId;
  label: string;
  ms: number;
  /** Of all busy time, 0..1. */
  share: number;
}
/** A function's self time (the samples in which it was the innermost frame). */
export interface FunctionTime {
  name: string;
  /** Its script and line (`kysely/dist/esm/…/sqlite-driver.js:60`); `native` for a C++ function, `V8` for V8's own entries. */
  where: string;
  category: CategoryId;
  ms: number;
  share: number;
}
/** The garbage collector's pauses: runs of consecutive samples in it, per thread. */
export interface GcPauses {
  count: number;
  totalMs: number;
  longestMs: number;
  /** Pauses of 10 ms or more. */
  atLeast10Ms: number;
}
/** Where the busy time of a set of profiles (a process's threads) went. */
export interface ProfileSummary {
  threads: number;
  samples: number;
  busyMs: number;
  categories: CategoryTime[];
  top: FunctionTime[];
  gcPauses: GcPauses;
}

const IDLE = '(idle)';
const round2 = (n: number) => Math.round(n * 100) / 100;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;

/** A script URL made short and readable: from node_modules' package, or from the repository's top folder. */
export function shortUrl(url: string): string {
  if (url === '') return 'native';
  const path = url.replace(/^file:\/\//, '');
  const inModules = path.lastIndexOf('/node_modules/');
  if (inModules >= 0) return path.slice(inModules + '/node_modules/'.length);
  const inRepo = /\/((?:demo|scripts|packages|examples|fixtures)\/.*)$/.exec(path);
  return inRepo ? inRepo[1]! : path;
}

/** Each sample of a profile: its node, its time on the profile's clock and how long it stands for (until the next sample, as DevTools counts). */
function samplesOf(profile: Profiler.Profile): { node: number; at: number; us: number }[] {
  const out: { node: number; at: number; us: number }[] = [];
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    out.push({ node: samples[i]!, at, us: deltas[i + 1] ?? 0 });
  }
  return out;
}

/**
 * Where the busy time of `profiles` went: idle samples are left out, and with `window` so are the
 * samples outside it. `top` is how many functions to list by self time.
 */
export function summarizeProfiles(
  profiles: readonly Profiler.Profile[],
  { window, top = 8 }: { window?: Window; top?: number } = {},
): ProfileSummary {
  const byCategory = new Map<CategoryId, number>();
  const byFunction = new Map<string, { name: string; where: string; us: number; categories: Map<CategoryId, number> }>();
  const gc: number[] = [];
  let busyUs = 0;
  let count = 0;
  for (const profile of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map<number, number>();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    const stackOf = (id: number): Frame[] => {
      const stack: Frame[] = [];
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) stack.push(nodes.get(at)!.callFrame);
      return stack;
    };
    const categories = new Map<number, CategoryId>();
    let gcRun = 0;
    for (const s of samplesOf(profile)) {
      const frame = nodes.get(s.node)?.callFrame;
      const inWindow = !window || (s.at >= window.fromUs && s.at < window.toUs);
      if (!frame || !inWindow || frame.functionName === IDLE) {
        if (gcRun > 0) gc.push(gcRun);
        gcRun = 0;
        continue;
      }
      let category = categories.get(s.node);
      if (category === undefined) categories.set(s.node, (category = categoryOf(stackOf(s.node))));
      if (category === 'gc') gcRun += s.us;
      else if (gcRun > 0) {
        gc.push(gcRun);
        gcRun = 0;
      }
      count++;
      busyUs += s.us;
      byCategory.set(category, (byCategory.get(category) ?? 0) + s.us);
      const where =
        frame.url !== '' ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : frame.functionName.startsWith('(') ? 'V8' : 'native';
      const name = frame.functionName || '(anonymous)';
      const key = `${name} ${where}`;
      const fn = byFunction.get(key) ?? { name, where, us: 0, categories: new Map<CategoryId, number>() };
      fn.us += s.us;
      fn.categories.set(category, (fn.categories.get(category) ?? 0) + s.us);
      byFunction.set(key, fn);
    }
    if (gcRun > 0) gc.push(gcRun);
  }
  const share = (us: number) => (busyUs > 0 ? round4(us / busyUs) : 0);
  return {
    threads: profiles.length,
    samples: count,
    busyMs: round2(busyUs / 1000),
    categories: (Object.keys(CATEGORIES) as CategoryId[])
      .filter((id) => byCategory.has(id))
      .map((id) => ({ id, label: CATEGORIES[id], ms: round2(byCategory.get(id)! / 1000), share: share(byCategory.get(id)!) }))
      .sort((a, b) => b.ms - a.ms),
    top: [...byFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((f) => ({
        name: f.name,
        where: f.where,
        category: [...f.categories].sort((a, b) => b[1] - a[1])[0]![0],
        ms: round2(f.us / 1000),
        share: share(f.us),
      })),
    gcPauses: {
      count: gc.length,
      totalMs: round2(gc.reduce((a, b) => a + b, 0) / 1000),
      longestMs: round2(Math.max(0, ...gc) / 1000),
      atLeast10Ms: gc.filter((us) => us >= 10_000).length,
    },
  };
}
