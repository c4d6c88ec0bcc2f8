#!/usr/bin/env node
// Where the time from "Open secure form" to the first focusable field goes, step by step
// (open-steps.ts), on the demo built in this tree, as a table of medians.
//
//   node --import tsx scripts/bench/open-breakdown.ts [--runs N] [--slow]
//
// `npm run build` first. BENCH_PORTS=brand,pci,bare,floor as for the bench (only brand and pci are
// used here). --slow: under the bench's slow-network emulation (SLOW_NETWORK), as `npm run bench`
// takes them for results.md.
import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { agentSetup } from './agent-setup.ts';
import { SLOW_NETWORK, launch } from './browser-harness.ts';
import { medianSteps, openSteps } from './open-steps.ts';
import { benchSitesFile, startDemo } from './processes.ts';

const { values: args } = parseArgs({ options: { runs: { type: 'string' }, slow: { type: 'boolean' } } });
const runs = Number(args.runs ?? 10);
const [brandPort, pciPort] = (process.env.BENCH_PORTS ?? '19080,19443').split(',').map(Number) as [number, number];

const demo = await startDemo({ port: brandPort, pciPort, label: 'breakdown', sitesFile: benchSitesFile() });
let all: Awaited<ReturnType<typeof openSteps>>;
try {
  const agent = await agentSetup(demo);
  const browser = await launch({ sameProcessFrames: Boolean(args.slow) });
  try {
    all = await openSteps(
      browser,
      { ...demo, ...agent },
      { runs, network: args.slow ? SLOW_NETWORK : undefined, log: (line) => process.stdout.write(`${line}\n`) },
    );
  } finally {
    await browser.close();
  }
} finally {
  await demo.stop();
  rmSync(demo.dataDir, { recursive: true, force: true });
}

for (const kind of ['cold', 'warm'] as const) {
  process.stdout.write(`\n${kind}${args.slow ? ' (slow network)' : ''}: median of ${runs} runs, ms after the click\n`);
  for (const { step, ms } of medianSteps(all[kind])) process.stdout.write(`  ${ms.toFixed(1).padStart(7)}  ${step}\n`);
}
