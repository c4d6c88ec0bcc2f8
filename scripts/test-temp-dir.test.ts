import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import setup from './test-temp-dir.ts';

describe("the test run's temporary directory", () => {
  it('is the temporary directory of this worker, so whatever a test makes there goes when the run ends', () => {
    const runDir = inject('testRunTempDir');
    expect(runDir).toMatch(/sf-vitest-/);
    expect(tmpdir()).toBe(runDir);
    expect(mkdtempSync(join(tmpdir(), 'sf-example-')).startsWith(`${runDir}/`)).toBe(true);
  });
  it('is removed with everything in it at teardown, and the temporary directory is the one before again', () => {
    const before = process.env.TMPDIR;
    const teardown = setup();
    const runDir = tmpdir();
    expect(runDir).not.toBe(before);
    const nested = mkdtempSync(join(tmpdir(), 'sf-empty-'));
    writeFileSync(join(nested, 'file'), 'x');
    teardown();
    expect(existsSync(runDir)).toBe(false);
    expect(process.env.TMPDIR).toBe(before);
  });
  it('is made once and removed once when several projects of the run share it', () => {
    const first = setup();
    const runDir = tmpdir();
    const second = setup();
    expect(tmpdir()).toBe(runDir);
    second();
    expect(existsSync(runDir)).toBe(true);
    first();
    expect(existsSync(runDir)).toBe(false);
  });
});
