// Writing the bench's results: results.md (in the repository's Prettier style), chart.svg, and the
// README's table of the several-instance figures.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { withClusterTable } from './cluster-report.ts';
import { markdownReport, resultsChart } from './report.ts';
import type { Results } from './results.ts';
import { ROOT } from './sizes.ts';

/** The markdown in the repository's Prettier style, when Prettier is installed; as written otherwise. */
export async function formatted(markdown: string, file: string): Promise<string> {
  try {
    const prettier = await import('prettier');
    return await prettier.format(markdown, { ...(await prettier.resolveConfig(file)), parser: 'markdown' });
  } catch {
    return markdown;
  }
}

/** The README's table of the several-instance figures, from the results written to bench/. */
async function writeReadmeTable(results: Results): Promise<void> {
  const readme = join(ROOT, 'README.md');
  writeFileSync(readme, await formatted(withClusterTable(readFileSync(readme, 'utf8'), results), readme));
}

/** results.md and chart.svg in `dir` from `results`; the README's table too when `dir` is bench/. */
export async function writeReport(dir: string, results: Results): Promise<void> {
  writeFileSync(join(dir, 'results.md'), await formatted(markdownReport(results), join(dir, 'results.md')));
  writeFileSync(join(dir, 'chart.svg'), resultsChart(results));
  if (dir === join(ROOT, 'bench')) await writeReadmeTable(results);
}
