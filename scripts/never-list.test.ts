/**
 * docs/never-list.md numbers its rows, and tests and docs cite them ("never-list row 3"): every
 * row cited anywhere, and every row the security suite's table assigns to a group, exists.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

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
});
