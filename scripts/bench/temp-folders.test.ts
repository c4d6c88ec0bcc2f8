/**
 * The bench's files in the temp directory (its sites files, the essential-work floor's database)
 * go when the bench is done with them: each run here gets a temp directory of its own (TMPDIR),
 * which must be empty again afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

let temp: string | undefined;
afterEach(() => {
  if (temp) rmSync(temp, { recursive: true, force: true });
  temp = undefined;
});

/** Runs `script` (an ES module, from the repository root) with a temp directory of its own; what it printed, and what it left there. */
function inOwnTemp(script: string): { stdout: string; left: string[] } {
  const dir = (temp = mkdtempSync(join(tmpdir(), 'secure-forms-bench-temp-test-')));
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: dir },
  });
  expect(out.status, out.stderr).toBe(0);
  // tsx keeps its compile cache there too (tsx-<uid>): not the bench's.
  return { stdout: out.stdout, left: readdirSync(dir).filter((name) => !name.startsWith('tsx-')) };
}

describe("the bench's temp folders", () => {
  it('removes the sites files it wrote as its process exits', () => {
    const { stdout, left } = inOwnTemp(
      `import { existsSync } from 'node:fs';
       import { benchSitesFile, memorySitesFile } from './scripts/bench/processes.ts';
       const files = [benchSitesFile(), memorySitesFile(10)];
       console.log(files.every((f) => existsSync(f)) ? 'written' : 'missing');`,
    );
    expect(stdout.trim()).toBe('written');
    expect(left).toEqual([]);
  });

  it("removes the essential-work floor's database when the floor closes", () => {
    const { stdout, left } = inOwnTemp(
      `import { readdirSync } from 'node:fs';
       import { tmpdir } from 'node:os';
       import { Hono } from 'hono';
       import { essentialRoutes } from './scripts/bench/essential-routes.mjs';
       const floor = essentialRoutes(new Hono());
       console.log(readdirSync(tmpdir()).filter((name) => name.startsWith('secure-forms-bench-essential-')).length);
       floor.close();`,
    );
    expect(stdout.trim()).toBe('1');
    expect(left).toEqual([]);
  });
});
