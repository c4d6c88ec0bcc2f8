/**
 * No production source file grows past 400 lines: a file that does has become more than one
 * concern, and is split (a controller, a pure module, a template) before it lands. Tests and their
 * support, the e2e and security suites and generated files are left out.
 */
import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';

const MAX_LINES = 400;

const sources = trackedFiles('*.ts', '*.tsx', '*.mjs').filter(isProductionSource);

describe('the production sources', () => {
  it(`are ${MAX_LINES} lines at most each`, () => {
    expect(sources.length).toBeGreaterThan(100);
    const long = sources
      .map((f) => ({ f, lines: readRepoFile(f).split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES)
      .map(({ f, lines }) => `${f}: ${lines}`);
    expect(long).toEqual([]);
  });
});
