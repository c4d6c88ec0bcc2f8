/**
 * The proxy (proxy.ts) in a process of its own, for the bench: its CPU time and memory are then
 * its own in /proc, apart from the load generator's. Run as a script, it reads its settings from
 * CLUSTER_PROXY (JSON of ProxyOptions) and says `ready` on stdout once it listens.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startProxy, type ProxyOptions } from './proxy.js';

export interface ProxyProcess {
  pid: number;
  stop(): Promise<void>;
}

/** Start the proxy in a child process; resolves once it listens. */
export function spawnProxy(options: ProxyOptions): Promise<ProxyProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
    env: { ...process.env, CLUSTER_PROXY: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the proxy exited (code ${code}) before it listened`)));
    child.stdout.once('data', () =>
      resolve({
        pid: child.pid!,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const proxy = await startProxy(JSON.parse(process.env.CLUSTER_PROXY ?? '{}') as ProxyOptions);
  process.stdout.write('ready\n');
  process.once('SIGTERM', () => void proxy.stop().then(() => process.exit(0)));
}
