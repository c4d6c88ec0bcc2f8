/**
 * Several instances of the built server (demo/server/dist, through the production start script)
 * behind one round-robin proxy per origin, as a deployment runs them: one data directory (the key
 * custody's files, the audit files), one database and one Redis (their URLs passed in; without
 * them the instances share the data directory's SQLite file and each keeps its own memory), each
 * instance on its own two ports. The browser and the tests see only the proxies' two origins.
 *
 * `stop()` ends everything it started (also when the process exits on a failure).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../demo/server/src/test/free-port.js';
import { startProxy, type RunningProxy } from './proxy.js';
import { stockSites, writeSites, type SitesFile } from '../sites-file.js';

export const REPO_ROOT = resolve(import.meta.dirname, '../..');
const START_SCRIPT = 'demo/server/start.sh';
const MAIN = join(REPO_ROOT, 'demo/server/dist/main.js');

/** The loopback address the PCI proxy connects from; the instances trust it as their proxy. */
export const PROXY_SOURCE = '127.0.0.200';

export interface ClusterOptions {
  instances: number;
  /** The brand proxy listens on it, the PCI proxy on the next; instance i on base+2+2i and base+3+2i (unless `freeInstancePorts`). */
  portBase: number;
  /** Each instance on two ports the system finds free, not after `portBase` (the bench: only the proxies' two ports are fixed). */
  freeInstancePorts?: boolean;
  /** postgres://… for SECURE_FORMS_DATABASE_URL; unset, the instances share the data directory's SQLite. */
  databaseUrl?: string;
  /** redis://… for SECURE_FORMS_REDIS_URL; unset, each instance keeps its own memory. */
  redisUrl?: string;
  /** Where the data directory, the sites file and the instances' logs go; default a new temporary one. */
  dir?: string;
  /** The demo operators' password; default a random one. */
  password?: string;
  /** Base32 TOTP secret for the managers and the admin; default a random one. */
  totpSecret?: string;
  /** Changes to the sites file (e.g. the suite's flood limits lifted). */
  sites?: (file: SitesFile) => SitesFile;
  /** More environment for every instance. */
  env?: Record<string, string>;
  /** Node options, passed through start.sh (e.g. the bench's GC hook). */
  nodeOptions?: string[];
}

export interface Instance {
  index: number;
  pid: number;
  brandPort: number;
  pciPort: number;
  /** Whether the process is still running. */
  alive(): boolean;
}

export interface Cluster {
  /** The brand origin browsers use (the brand proxy). */
  brand: string;
  /** The PCI origin browsers use (the PCI proxy). */
  pci: string;
  password: string;
  totpSecret: string;
  dir: string;
  dataDir: string;
  instances: Instance[];
  brandProxy: RunningProxy;
  pciProxy: RunningProxy;
  /** Send `signal` to instance `index` and wait until it is gone. */
  kill(index: number, signal?: NodeJS.Signals): Promise<void>;
  /** The end of each instance's stderr (for a failure's message). */
  logs(): string;
  stop(): Promise<void>;
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function randomPassword(): string {
  return `cluster${crypto.randomUUID().replaceAll('-', '')}7`;
}

function randomTotpSecret(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => BASE32[b % 32]).join('');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

/** Start the cluster; resolves once every instance and both proxies answer. */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  if (!existsSync(MAIN)) throw new Error(`The server has not been built (${MAIN} is missing): run \`npm run build\` first.`);
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'secure-forms-cluster-'));
  const dataDir = join(dir, 'data');
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const brandPort = options.portBase;
  const pciPort = options.portBase + 1;
  const brand = `http://localhost:${brandPort}`;
  const pci = `http://127.0.0.1:${pciPort}`;
  const password = options.password ?? randomPassword();
  const totpSecret = options.totpSecret ?? randomTotpSecret();

  // The stock sites, their brand origins on the brand proxy's port (where browsers find the pages).
  const stock = stockSites(brandPort);
  const sitesFile = writeSites(join(dir, 'sites.json'), options.sites ? options.sites(stock) : stock);

  const children: ChildProcess[] = [];
  const instances: Instance[] = [];
  let proxies: RunningProxy[] = [];
  const killAll = () => {
    for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGKILL');
  };
  process.once('exit', killAll);

  const logs = () =>
    instances
      .map((instance) => {
        const file = join(dir, `instance-${instance.index}.err.log`);
        const tail = existsSync(file) ? readFileSync(file, 'utf8').slice(-1500) : '';
        return `instance ${instance.index} (pid ${instance.pid}, ${instance.alive() ? 'running' : 'gone'}):\n${tail}`;
      })
      .join('\n');

  const startInstance = async (index: number): Promise<Instance> => {
    const ports = options.freeInstancePorts
      ? { brand: await freePort(), pci: await freePort() }
      : { brand: options.portBase + 2 + 2 * index, pci: options.portBase + 3 + 2 * index };
    const child = spawn('sh', [START_SCRIPT, ...(options.nodeOptions ?? [])], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: String(ports.brand),
        PCI_PORT: String(ports.pci),
        SECURE_FORMS_PCI_ORIGIN: pci,
        SECURE_FORMS_DATA_DIR: dataDir,
        SECURE_FORMS_SITES_FILE: sitesFile,
        SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
        SECURE_FORMS_DEMO_PASSWORD: password,
        SECURE_FORMS_DEMO_TOTP_SECRET: totpSecret,
        SECURE_FORMS_TRUSTED_PROXIES: PROXY_SOURCE,
        // Each its own audit file in the shared data directory (audit-YYYY-MM-DD.instance-N.log).
        SECURE_FORMS_INSTANCE_ID: `instance-${index}`,
        ...(options.databaseUrl ? { SECURE_FORMS_DATABASE_URL: options.databaseUrl } : {}),
        ...(options.redisUrl ? { SECURE_FORMS_REDIS_URL: options.redisUrl } : {}),
        LOG_LEVEL: 'warn',
        ...options.env,
      },
      stdio: ['ignore', openSync(join(dir, `instance-${index}.out.log`), 'a'), openSync(join(dir, `instance-${index}.err.log`), 'a')],
    });
    children.push(child);
    const pid = child.pid;
    if (!pid) throw new Error(`Instance ${index} could not be started.`);
    const instance: Instance = { index, pid, brandPort: ports.brand, pciPort: ports.pci, alive: () => isAlive(pid) };
    instances.push(instance);
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (!instance.alive()) throw new Error(`Instance ${index} exited while starting.\n${logs()}`);
      const [pages, api] = await Promise.all([
        answers(`http://localhost:${ports.brand}/demo-config.json`),
        // Ready for traffic: its database answers (the readiness a load balancer asks for).
        answers(`http://127.0.0.1:${ports.pci}/readyz`),
      ]);
      if (pages && api) return instance;
      if (Date.now() > deadline) throw new Error(`Instance ${index} did not answer within 60 s.\n${logs()}`);
      await sleep(100);
    }
  };

  const stop = async () => {
    await Promise.all(proxies.map((proxy) => proxy.stop()));
    proxies = [];
    for (const child of children) if (child.pid && isAlive(child.pid)) child.kill('SIGTERM');
    const deadline = Date.now() + 10_000;
    while (children.some((child) => child.pid && isAlive(child.pid)) && Date.now() < deadline) await sleep(50);
    killAll();
    process.off('exit', killAll);
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };

  try {
    // The first instance alone: it makes the key files, the schema and the demo operators that
    // the others then find (two first starts at once would each make a master key).
    await startInstance(0);
    for (let i = 1; i < options.instances; i++) await startInstance(i);
    const brandProxy = await startProxy({
      port: brandPort,
      host: 'localhost',
      upstreams: instances.map((i) => ({ host: 'localhost', port: i.brandPort })),
    });
    proxies.push(brandProxy);
    const pciProxy = await startProxy({
      port: pciPort,
      host: '127.0.0.1',
      upstreams: instances.map((i) => ({ host: '127.0.0.1', port: i.pciPort })),
      sourceAddress: PROXY_SOURCE,
    });
    proxies.push(pciProxy);
    return {
      brand,
      pci,
      password,
      totpSecret,
      dir,
      dataDir,
      instances,
      brandProxy,
      pciProxy,
      logs,
      stop,
      kill: async (index, signal = 'SIGKILL') => {
        const instance = instances[index]!;
        if (!instance.alive()) return;
        process.kill(instance.pid, signal);
        while (instance.alive()) await sleep(20);
      },
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
