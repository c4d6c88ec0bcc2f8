// The bench's first measurement: the bundle sizes against their budgets.
import { measureSizes } from '../sizes.ts';
import { kB } from '../stats.ts';

/** Measure the bundles into `results.sizes`, and say how each stands. */
export async function sizesPhase({ results, log }) {
  results.sizes = await measureSizes();
  for (const b of results.sizes.bundles) {
    log(
      `   ${b.name}: ${kB(b.gzip)} gzip, ${kB(b.brotli)} brotli (English only ${kB(b.englishOnly.gzip)} / ${kB(b.englishOnly.brotli)}); ` +
        `budget ${kB(b.budget)}: ${b.ok ? 'ok' : 'OVER BUDGET'}`,
    );
  }
  if (results.sizes.floor)
    log(`   ${results.sizes.floor.name}: ${kB(results.sizes.floor.gzip)} gzip, ${kB(results.sizes.floor.brotli)} brotli`);
}
