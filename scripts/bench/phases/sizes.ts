// The bench's first measurement: the bundle sizes against their budgets.
import type { Results } from '../results.ts';
import { measureSizes } from '../sizes.ts';
import { kB } from '../stats.ts';

/** Measure the bundles into `results.sizes`, and say how each stands. */
export async function sizesPhase({ results, log }: { results: Results; log: (line: string) => void }): Promise<void> {
  const sizes = await measureSizes();
  results.sizes = sizes;
  for (const b of sizes.bundles) {
    log(
      `   ${b.name}: ${kB(b.gzip)} gzip, ${kB(b.brotli)} brotli (English only ${kB(b.englishOnly.gzip)} / ${kB(b.englishOnly.brotli)}); ` +
        `budget ${kB(b.budget)}: ${b.ok ? 'ok' : 'OVER BUDGET'}`,
    );
  }
  if (sizes.floor) log(`   ${sizes.floor.name}: ${kB(sizes.floor.gzip)} gzip, ${kB(sizes.floor.brotli)} brotli`);
}
