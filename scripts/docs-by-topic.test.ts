/**
 * Docs, comments and test names say what is described or tested, never which tracker entry asked
 * for it (an issue number and rule): a reader of the repository has no tracker. A library's own
 * issue may be cited by the library's name and number (a workaround's reason, e.g. "tsx issue
 * #113").
 */
import { describe, expect, it } from 'vitest';
import { readRepoFile, trackedFiles } from '../fixtures/repo-files.ts';

/** The libraries whose issues a workaround may cite. */
const LIBRARIES = ['tsx', 'lit', 'vite', 'vitest', 'playwright', 'chromium', 'webkit', 'firefox', 'hono', 'zod', 'kysely', 'ioredis'];
const ISSUE = /\b(\w+)?\s*issues? #?\d+/gi;

const files = trackedFiles('*.md', '*.ts', '*.tsx', '*.mjs', '*.html');

describe('the docs and the code', () => {
  it('cite no tracker entry: they say what they describe or test', () => {
    expect(files.length).toBeGreaterThan(100);
    const cited = files.flatMap((file) =>
      [...readRepoFile(file).matchAll(ISSUE)]
        .filter((m) => !LIBRARIES.includes((m[1] ?? '').toLowerCase()))
        .map((m) => `${file}: ${m[0].trim()}`),
    );
    expect(cited).toEqual([]);
  });
});
