import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// A JSDoc block documents the declaration right below it (that is where editors and the API
// reference read it); one followed by a blank line, or by another JSDoc, documents nothing.
const dir = new URL('../packages/shared/src/', import.meta.url);
const sources = readdirSync(dir).filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts'));

/** Line numbers of JSDoc blocks (after the file's opening comment) that no declaration follows. */
function orphanDocs(text: string): number[] {
  const lines = text.split('\n');
  const orphans: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!lines[i]!.trimStart().startsWith('/**')) continue;
    const start = i;
    while (i < lines.length && !lines[i]!.includes('*/')) i++;
    const next = lines[i + 1] ?? '';
    const opensFile = lines.slice(0, start).every((line) => line.trim() === '');
    if (!opensFile && (next.trim() === '' || next.trimStart().startsWith('/**'))) orphans.push(start + 1);
  }
  return orphans;
}

describe('JSDoc in packages/shared/src', () => {
  it.each(sources)('%s: every JSDoc block sits right above what it documents', (name) => {
    expect(orphanDocs(readFileSync(new URL(name, dir), 'utf8'))).toEqual([]);
  });
});
