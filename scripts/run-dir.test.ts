import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/** Runs `runDir` in a process of its own that then exits with `code`; the folder it made, and what it printed. */
function run(code: number, given?: string): { dir: string; stderr: string } {
  const script = `import { runDir } from './scripts/run-dir.ts'; console.log(runDir('RUN_DIR_TEST', 'secure-forms-run-dir-test-')); process.exitCode = ${code};`;
  const env = { ...process.env, RUN_DIR_TEST: given ?? '' };
  const out = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', env });
  return { dir: out.stdout.trim(), stderr: out.stderr };
}

describe("a suite's run folder in the temp directory", () => {
  it('is removed as the runner that made it exits after a passing run', () => {
    const { dir } = run(0);
    expect(dir).toMatch(/secure-forms-run-dir-test-/);
    expect(existsSync(dir)).toBe(false);
  });

  it('is kept, and named, after a failing run', () => {
    const { dir, stderr } = run(1);
    try {
      expect(existsSync(dir)).toBe(true);
      expect(stderr).toContain(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is left alone when it was named beforehand', () => {
    const { dir: made, stderr } = run(1);
    const { dir } = run(0, made);
    try {
      expect(dir).toBe(made);
      expect(existsSync(made)).toBe(true);
    } finally {
      rmSync(made, { recursive: true, force: true });
    }
    expect(stderr).toContain(made);
  });
});
