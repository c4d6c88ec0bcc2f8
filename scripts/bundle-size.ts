// The bundle sizes alone, quickly (no server, no browser): min+gzip and min+brotli of each bundle,
// with its heaviest lazily loaded locale and English only, against the budgets. `--check` fails
// when one is over. Run after `npm run build`: `npm run size` (`npm run size -- --check`).
// `npm run bench` measures these and everything else.
import { measureSizes } from './bench/sizes.ts';
import { kB } from './bench/stats.ts';

const { bundles } = await measureSizes({ floor: false });
let over = false;
for (const b of bundles) {
  if (!b.ok) over = true;
  console.log(
    `${b.name}: ${kB(b.min)} min; ${kB(b.gzip)} min+gzip, ${kB(b.brotli)} min+brotli with the heaviest locale ` +
      `(English only: ${kB(b.englishOnly.gzip)} / ${kB(b.englishOnly.brotli)}) ${b.ok ? '≤' : '>'} ${kB(b.budget)}${b.ok ? ' ok' : ' OVER BUDGET'}`,
  );
}
if (over && process.argv.includes('--check')) process.exit(1);
