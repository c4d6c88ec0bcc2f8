/**
 * The built server (demo/server/dist/main.js, what start.sh runs) as a child process on free ports
 * and a temporary data directory, for tests of the process itself (signals, several instances).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../paths.js';
import { freePort } from './free-port.js';

const MAIN = join(REPO_ROOT, 'demo/server/dist/main.js');

export interface Running {
  child: ChildProcessWithoutNullStreams;
  brandPort: number;
  pciPort: number;
  exited: Promise<number | null>;
  /** What it printed so far (stdout and stderr). */
  output: () => string;
}

const cleanups: (() => void)[] = [];

/** Kill what is still running and delete the data directories (an afterEach). */
export function stopBuiltServers(): void {
  for (const cleanup of cleanups.splice(0)) cleanup();
}

/** Start it and wait for its banner; `dir`: a data directory to share (else a fresh one, deleted after). */
export async function startBuiltServer(env: Record<string, string> = {}, dir?: string): Promise<Running> {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first.`);
  const dataDir = dir ?? mkdtempSync(join(tmpdir(), 'sf-built-'));
  const [brandPort, pciPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(brandPort),
      PCI_PORT: String(pciPort),
      SECURE_FORMS_DATA_DIR: dataDir,
      SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
      SECURE_FORMS_DEMO_PASSWORD: 'correct7horse8battery',
      LOG_LEVEL: 'warn',
      ...env,
    },
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanups.push(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
    if (!dir) rmSync(dataDir, { recursive: true, force: true });
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Press Ctrl+C to stop.')) resolve();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then((code) => reject(new Error(`the server ended (${code}) before it ran:\n${output}`)));
  });
  return { child, brandPort, pciPort, exited, output: () => output };
}
