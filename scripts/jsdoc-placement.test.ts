import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';

// A JSDoc block documents the declaration right below it (that is where editors and the API
// reference read it); one followed by a blank line, or by another JSDoc, documents nothing.
// Every production source of the repository (fixtures/repo-files.ts).
const sources = trackedFiles('*.ts', '*.tsx').filter(isProductionSource);

/** Line numbers of JSDoc blocks (after the file's opening comment) that no declaration follows. */
function orphanDocs(text: string): number[] {
  const lines = text.split('\n');
  const orphans: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimStart().startsWith('/**')) continue;
    const start = i;
    while (i < lines.length && !lines[i]!.includes('*/')) i++;
    const next = lines[i + 1] ?? '';
    // The file's own comment may follow `///` directives and single-line imports (vite.config.ts).
    const opensFile = lines.slice(0, start).every((line) => line.trim() === '' || /^(\/\/\/|import )/.test(line));
    if (!opensFile && (next.trim() === '' || next.trimStart().startsWith('/**'))) orphans.push(start + 1);
  }
  return orphans;
}

describe('JSDoc in the production sources', () => {
  it('reads the packages, the demo and the scripts', () => {
    expect(sources).toEqual(expect.arrayContaining(['packages/shared/src/api.ts', 'demo/server/src/app.ts', 'scripts/bench.ts']));
  });

  it.each(sources)('%s: every JSDoc block sits right above what it documents', (name) => {
    expect(orphanDocs(readRepoFile(name))).toEqual([]);
  });
});
