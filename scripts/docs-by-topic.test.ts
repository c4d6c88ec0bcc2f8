/**
 * Docs, comments and test names say what is described or tested, never which tracker entry asked
 * for it (an issue number and rule): a reader of the repository has no tracker. A library's own
 * issue may be cited by the library's name and number (a workaround's reason, e.g. "tsx issue
 * #113").
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The libraries whose issues a workaround may cite. */
const LIBRARIES = ['tsx', 'lit', 'vite', 'vitest', 'playwright', 'chromium', 'webkit', 'firefox', 'hono', 'zod', 'kysely'];
const ISSUE = /\b(\w+)?\s*issues? #?\d+/gi;

const files = execFileSync('git', ['ls-files', '*.md', '*.ts', '*.tsx', '*.mjs', '*.html'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean);

describe('the docs and the code', () => {
  it('cite no tracker entry: they say what they describe or test', () => {
    expect(files.length).toBeGreaterThan(100);
    const cited = files.flatMap((file) =>
      [...readFileSync(join(ROOT, file), 'utf8').matchAll(ISSUE)]
        .filter((m) => !LIBRARIES.includes((m[1] ?? '').toLowerCase()))
        .map((m) => `${file}: ${m[0].trim()}`),
    );
    expect(cited).toEqual([]);
  });
});
