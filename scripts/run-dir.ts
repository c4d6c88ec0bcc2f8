/**
 * A test suite's run folder in the temp directory (the demo's data directory: its database, keys,
 * audit log and server log), made once by the runner and named in `variable` for its workers and
 * servers, which inherit it. When the runner made it, it is removed as the runner exits, unless the
 * run failed: then it is kept for the server log, and its path printed. A folder named in
 * `variable` beforehand is the caller's, and is left as it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function runDir(variable: string, prefix: string): string {
  const given = process.env[variable];
  if (given) return given;
  const dir = mkdtempSync(join(tmpdir(), prefix));
  process.env[variable] = dir;
  process.once('exit', (code) => {
    if (code === 0) rmSync(dir, { recursive: true, force: true });
    else process.stderr.write(`The run's folder is kept for inspection: ${dir}\n`);
  });
  return dir;
}
