/**
 * Each word list the packages share (roles, permissions, invitation states, card brands, who
 * writes a chat line) has one home, packages/shared/src/vocabulary.ts, and every other union or
 * list is derived from it: no source file of the packages or the demo spells a whole list out
 * again, in any order. (The examples are a brand's own code: their chat's words are the brand's.)
 */
import { describe, expect, it } from 'vitest';
import { isProductionSource, readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';
import * as vocabulary from '../packages/shared/src/vocabulary.ts';

const HOME = 'packages/shared/src/vocabulary.ts';

/** The product's sources in the packages and the demo. */
const sources = trackedFiles('packages', 'demo').filter((f) => /\.tsx?$/.test(f) && f !== HOME && isProductionSource(f));

/** The runs of quoted words joined by `|` or `,` in `text` (a union or an array of literals). */
function literalRuns(text: string): string[][] {
  return [...text.matchAll(/'[\w-]+'(?:\s*[|,]\s*'[\w-]+')+/g)].map((m) => [...m[0].matchAll(/'([\w-]+)'/g)].map((w) => w[1]!));
}

const LISTS = Object.entries(vocabulary as Record<string, unknown>).filter((entry): entry is [string, readonly string[]] =>
  Array.isArray(entry[1]),
);

describe('the shared vocabulary', () => {
  it('has its lists', () => {
    expect(LISTS.map(([name]) => name)).toEqual(
      expect.arrayContaining(['ROLES', 'PERMISSIONS', 'INVITATION_STATES', 'CARD_BRANDS', 'MESSAGE_AUTHORS']),
    );
  });

  it.each(LISTS)('%s is spelled out nowhere else: every other union or list of its words is derived from it', (_name, words) => {
    const copies = sources.flatMap((file) =>
      literalRuns(readRepoFile(file))
        .filter((run) => words.every((word) => run.includes(word)))
        .map((run) => `${file}: ${run.join(' | ')}`),
    );
    expect(copies).toEqual([]);
  });
});
