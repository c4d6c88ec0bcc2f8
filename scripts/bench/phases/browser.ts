// The bench's measurements in Chromium: open to interactive (over loopback, then on a slow
// network), submit to revealed, and the decrypt time per form.
import type { Agent } from '../agent-setup.ts';
import { SLOW_NETWORK, launch } from '../browser-harness.ts';
import { type OpenSeries, decryptTimes, openToInteractive, submitToRevealed } from '../browser.ts';
import { medianSteps, openSteps } from '../open-steps.ts';
import type { Bare, Demo } from '../processes.ts';
import type { BenchSettings, Machine, Network, OpenResults, Results } from '../results.ts';
import { ratio, round, summarize } from '../stats.ts';

/** Runs under network emulation: each open takes seconds there, so fewer than the loopback runs. */
const slowRuns = (runs: number) => Math.min(runs, 8);
/** Runs that read the slow opens' steps, after the measured ones. */
const stepRuns = (runs: number) => Math.min(runs, 3);
const slowLabel = `${SLOW_NETWORK.latencyMs} ms round trip, ${SLOW_NETWORK.downloadKbps / 1000} Mbit/s down, ${SLOW_NETWORK.uploadKbps} kbit/s up`;

const ms = (v: number | null) => `${v!.toFixed(v! < 10 ? 1 : 0)} ms`;
const samples = (list: number[]) => list.map((v) => round(v, 1));

/**
 * The open-to-interactive figures as results.json holds them: each series summarized, the ratios
 * of the medians to the floor's, the samples, the runs left out. `network` when emulated.
 */
export function openResults(s: OpenSeries, runs: number, network?: Network): OpenResults {
  const sum = {
    demo: { cold: summarize(s.demo.cold), warm: summarize(s.demo.warm) },
    floor: { cold: summarize(s.floor.cold), warm: summarize(s.floor.warm) },
  };
  return {
    runs,
    ...(network ? { network } : {}),
    ...sum,
    ratio: { cold: ratio(sum.demo.cold.median, sum.floor.cold.median), warm: ratio(sum.demo.warm.median, sum.floor.warm.median) },
    samples: {
      demo: { cold: samples(s.demo.cold), warm: samples(s.demo.warm) },
      floor: { cold: samples(s.floor.cold), warm: samples(s.floor.warm) },
    },
    leftOut: s.failures,
  };
}

const logMedians = (o: OpenResults, log: (line: string) => void) =>
  log(
    `   median: demo ${ms(o.demo.cold.median)} cold, ${ms(o.demo.warm.median)} warm; floor ${ms(o.floor.cold.median)} cold, ${ms(o.floor.warm.median)} warm`,
  );

/**
 * Run the browser measurements, each as its own `phase` (a failure is reported and the others
 * still run), into `results`. `openOnly`: open to interactive alone (loopback and slow network).
 */
export async function browserPhases({
  phase,
  demoContext,
  bare,
  settings,
  results,
  log,
  openOnly = false,
}: {
  phase: (name: string, fn: () => Promise<void>) => Promise<void>;
  demoContext: Demo & Agent;
  bare: Bare;
  settings: BenchSettings;
  results: Results & { machine: Machine; notes: string[] };
  log: (line: string) => void;
  openOnly?: boolean;
}): Promise<void> {
  const browser = await launch();
  results.machine.chromium = browser.version();
  try {
    await phase(`2. Open to interactive (${settings.runs} runs each: demo and floor, cold and warm)`, async () => {
      const s = await openToInteractive(browser, demoContext, bare, { runs: settings.runs, log });
      results.openToInteractive = openResults(s, settings.runs);
      if (s.failures.length)
        results.notes.push(
          `Open to interactive: ${s.failures.length} run(s) could not finish and were run again (see leftOut in results.json).`,
        );
      const o = results.openToInteractive;
      logMedians(o, log);
      log(`   ratio to the floor: ${o.ratio.cold}× cold, ${o.ratio.warm}× warm (goal ≤ 2×)`);
    });
    await phase(`2b. Open to interactive on a slow network (${slowRuns(settings.runs)} runs each, ${slowLabel})`, async () => {
      // Its own browser: the emulation must cover the cross-site frames (see launch()).
      const slowBrowser = await launch({ sameProcessFrames: true });
      try {
        const runs = slowRuns(settings.runs);
        const s = await openToInteractive(slowBrowser, demoContext, bare, { runs, log, network: SLOW_NETWORK });
        results.openToInteractiveSlow = openResults(s, runs, SLOW_NETWORK) as OpenResults & { network: Network };
        const o = results.openToInteractiveSlow;
        logMedians(o, log);
        log(`   ratio to the floor: ${o.ratio.cold}× cold, ${o.ratio.warm}× warm`);
        // Where the time goes, in runs of their own: the probe never touches the figures above.
        const steps = await openSteps(slowBrowser, demoContext, { runs: stepRuns(runs), network: SLOW_NETWORK, log });
        o.steps = { runs: stepRuns(runs), cold: medianSteps(steps.cold), warm: medianSteps(steps.warm) };
      } finally {
        await slowBrowser.close();
      }
    });
    if (openOnly) return;
    await phase(`3. Submit to revealed (${settings.runs} runs)`, async () => {
      const s = await submitToRevealed(browser, demoContext, { runs: settings.runs, log });
      results.submitToRevealed = {
        runs: settings.runs,
        summary: summarize(s.samples),
        samples: samples(s.samples),
        leftOut: s.failures,
      };
      if (s.failures.length)
        results.notes.push(
          `Submit to revealed: ${s.failures.length} run(s) could not finish and were run again (see leftOut in results.json).`,
        );
      log(`   median ${ms(results.submitToRevealed.summary.median)}, p95 ${ms(results.submitToRevealed.summary.p95)}`);
    });
    await phase('5. Decrypt time per form in Chromium', async () => {
      const t = await decryptTimes(browser, bare, { iterations: 200 });
      results.decrypt = { warmup: 20, summary: summarize(t, 3) };
      log(`   median ${ms(results.decrypt.summary.median)}, p95 ${ms(results.decrypt.summary.p95)} (${t.length} forms)`);
    });
  } finally {
    await browser.close();
  }
}
