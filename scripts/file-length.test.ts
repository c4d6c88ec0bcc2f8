/**
 * No production source file grows past 400 lines: a file that does has become more than one
 * concern, and is split (a controller, a pure module, a template) before it lands. Tests, the e2e
 * and security suites and generated files are left out.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAX_LINES = 400;

const sources = execFileSync('git', ['ls-files', '*.ts', '*.tsx', '*.mjs'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !/\.(test|spec)\.tsx?$|^e2e\/|^security\/|\/generated\//.test(f));

describe('the production sources', () => {
  it(`are ${MAX_LINES} lines at most each`, () => {
    expect(sources.length).toBeGreaterThan(100);
    const long = sources
      .map((f) => ({ f, lines: readFileSync(join(ROOT, f), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });
});
