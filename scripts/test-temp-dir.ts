// A globalSetup of the Vitest projects that run in Node: one temporary directory for the whole run,
// made the system's temporary directory (TMPDIR, which os.tmpdir() reads) for every test worker
// and every process the tests start, and removed with everything in it when the run ends. Tests
// make their own directories (mkdtemp in tmpdir()) and Vitest ends its workers without an 'exit'
// event, so removing each directory at exit left dozens behind per run; removing the one parent
// here leaves none, whoever made what inside it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The run's temporary directory: `os.tmpdir()` in every test worker. */
    testRunTempDir: string;
  }
}

// Several projects of one run share the directory: made by the first setup, removed by the last teardown.
let users = 0;
let runDir = '';
let previous: string | undefined;

/** Make (or join) the run's temporary directory; returns the teardown that removes it. */
export default function setup(project?: TestProject): () => void {
  if (users++ === 0) {
    previous = process.env.TMPDIR;
    runDir = mkdtempSync(join(tmpdir(), 'sf-vitest-'));
    // Others may pass through, not list: PostgreSQL runs as its own user when the tests run as
    // root, in a directory of its own inside this one (scripts/engines).
    chmodSync(runDir, 0o711);
    process.env.TMPDIR = runDir;
  }
  project?.provide('testRunTempDir', runDir);
  return () => {
    if (--users > 0) return;
    rmSync(runDir, { recursive: true, force: true });
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  };
}
