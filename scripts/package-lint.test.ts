import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attwProblems, publintProblems } from './package-lint.ts';

/** A tiny ES-module package in a temporary folder, with the given exports and files. */
function fixture(exportsMap: Record<string, unknown>, files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'sf-package-lint-'));
  const manifest = { name: 'fixture-package', version: '1.0.0', type: 'module', exports: exportsMap, files: ['dist'] };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest));
  mkdirSync(join(dir, 'dist'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, 'dist', name), text);
  return dir;
}

// Each are-the-types-wrong run packs the fixture and loads a TypeScript compiler: seconds, not milliseconds.
describe('package lint (publint, are-the-types-wrong)', { timeout: 60_000 }, () => {
  it('passes a package whose every export has types first and resolves', async () => {
    const dir = fixture(
      { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      { 'index.js': 'export const a = 1;\n', 'index.d.ts': 'export declare const a: number;\n' },
    );
    expect(await publintProblems(dir)).toEqual([]);
    expect(attwProblems(dir)).toEqual([]);
  });

  it('reports an export that lists its types after the code (publint)', async () => {
    const dir = fixture(
      { '.': { default: './dist/index.js', types: './dist/index.d.ts' } },
      { 'index.js': 'export const a = 1;\n', 'index.d.ts': 'export declare const a: number;\n' },
    );
    expect((await publintProblems(dir)).join('\n')).toMatch(/types/);
  });

  it('reports an export with no type declarations (are-the-types-wrong), unless it is excluded', () => {
    const dir = fixture(
      { '.': { types: './dist/index.d.ts', default: './dist/index.js' }, './script.js': './dist/script.js' },
      { 'index.js': 'export const a = 1;\n', 'index.d.ts': 'export declare const a: number;\n', 'script.js': 'var b = 1;\n' },
    );
    expect(attwProblems(dir).join('\n')).toMatch(/UntypedResolution.*\.\/script\.js/);
    expect(attwProblems(dir, ['./script.js'])).toEqual([]);
  });
});
