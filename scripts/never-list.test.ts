/**
 * docs/never-list.md numbers its rows, and tests and docs cite them ("never-list row 3"): every
 * row cited anywhere, and every row the security suite's table assigns to a group, exists; and
 * every file a row names as its proof exists and cites that row.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { trackedFiles } from '../fixtures/repo-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const rows = new Set([...read('docs/never-list.md').matchAll(/^\| (\d+) +\|/gm)].map((m) => Number(m[1])));

/** The row numbers a text cites: "never-list row 3", "never-list rows 1 and 2", "rows 1, 2". */
function cited(text: string): number[] {
  return [...text.matchAll(/never-list rows? ([\d, and]+)/gi)].flatMap((m) => (m[1]!.match(/\d+/g) ?? []).map(Number));
}

describe('the never-list', () => {
  it('numbers its rows 1, 2, 3… with no gap', () => {
    expect(rows.size).toBeGreaterThan(0);
    expect([...rows]).toEqual([...rows].map((_, i) => i + 1));
  });

  it('has every row that the security suite, the e2e specs and the docs cite', () => {
    const files = [
      ...readdirSync(join(ROOT, 'security')).map((f) => `security/${f}`),
      ...readdirSync(join(ROOT, 'e2e')).map((f) => `e2e/${f}`),
      ...readdirSync(join(ROOT, 'docs')).map((f) => `docs/${f}`),
    ].filter((f) => /\.(ts|md)$/.test(f));
    const citations = files.flatMap((f) => cited(read(f)).map((row) => ({ f, row })));
    expect(citations.length).toBeGreaterThan(0);
    expect(citations.filter(({ row }) => !rows.has(row))).toEqual([]);
  });

  it('has every row the security table assigns to a group', () => {
    const table = read('security/table.ts');
    const assigned = table.slice(table.indexOf('NEVER_LIST_ROWS'));
    const numbers = [...assigned.slice(0, assigned.indexOf('};')).matchAll(/\[([\d, ]*)\]/g)].flatMap((m) =>
      (m[1]!.match(/\d+/g) ?? []).map(Number),
    );
    expect(numbers.length).toBeGreaterThan(0);
    expect(numbers.filter((row) => !rows.has(row))).toEqual([]);
  });

  it('names for every row the files that prove it, and each of them cites that row', () => {
    const tracked = trackedFiles();
    /** A path as the table writes it: from the root, or a file name alone (e.g. `99-end-of-run.spec.ts`). */
    const resolve = (named: string) => (existsSync(join(ROOT, named)) ? [named] : tracked.filter((f) => f.endsWith(`/${named}`)));
    const unproved: string[] = [];
    for (const [, row, proof] of read('docs/never-list.md').matchAll(/^\| (\d+) +\|[^|]*\|([^|]*)\|/gm)) {
      const named = [...proof!.matchAll(/`([^`]+\.(?:ts|md))`/g)].map((m) => m[1]!);
      if (named.length === 0) unproved.push(`row ${row}: names no file`);
      for (const name of named) {
        const files = resolve(name);
        if (files.length !== 1) unproved.push(`row ${row}: ${name} is ${files.length} files`);
        else if (!cited(read(files[0]!)).includes(Number(row))) unproved.push(`row ${row}: ${files[0]} does not cite it`);
      }
    }
    expect(unproved).toEqual([]);
  });
});
