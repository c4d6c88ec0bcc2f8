/**
 * The translated strings' ids, in both packages' locale catalogues: each is the id lit-localize
 * derives from the English text (`s` and 16 lowercase hex digits), none is written by hand (no
 * `msg(…, { id })`), so no two ids ever differ only by case, and none is an opaque short name.
 */
import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';

const CATALOGUES = trackedFiles('packages/*/src/generated/locales/*.ts');

/** The ids a generated catalogue translates (its `templates` object's keys). */
function idsOf(file: string): string[] {
  return [...readRepoFile(file).matchAll(/^\s*'([^']+)':/gm)].map(([, id]) => id!);
}

describe('message ids', () => {
  it('finds the catalogues of both packages', () => {
    expect(CATALOGUES.some((f) => f.startsWith('packages/agent-panel/'))).toBe(true);
    expect(CATALOGUES.some((f) => f.startsWith('packages/consumer-widget/'))).toBe(true);
  });

  it.each(CATALOGUES)('%s: every id is derived from its English text, and none differs from another only by case', (file) => {
    const ids = idsOf(file);
    expect(ids.length).toBeGreaterThan(10);
    expect(ids.filter((id) => !/^s[0-9a-f]{16}$/.test(id))).toEqual([]);
    expect(new Set(ids.map((id) => id.toLowerCase())).size).toBe(ids.length);
  });

  it('no msg() call names its own id', () => {
    const named = trackedFiles('packages/*/src/*.ts', 'packages/*/src/**/*.ts')
      .filter(isProductionSource)
      .filter((file) => /\bmsg\([^;]*\{\s*id\s*:/s.test(readRepoFile(file)));
    expect(named).toEqual([]);
  });
});
