/**
 * The demo server as the security suite runs it: one real process (the production start script,
 * which execs node on the compiled server: no wrapper is left, so SIGKILL hits the server itself), on its own ports, data directory and sites file, its
 * stdout and stderr appended to files in the run directory (both are sinks the canary scan
 * reads). Any worker can kill it and start it again on the same data directory; the pid lives in
 * the run directory so the global teardown can stop whichever process is current.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BRAND,
  BRAND_PORT,
  DATA_DIR,
  OTHER_BRAND,
  OTHER_SITE,
  PASSWORD,
  PCI,
  PCI_PORT,
  PROXY_SOURCE,
  REPO_ROOT,
  RUN_DIR,
  SERVER_STDERR,
  SERVER_STDOUT,
  SITE,
  SITES_FILE,
  TOTP_SECRET,
} from './env.js';
import { call, resetConnections } from './http.js';
import { makeWorkspaceKeys } from './workspace-keys.js';
import { stockSites, writeSites } from '../scripts/sites-file.js';

const PID_FILE = () => join(RUN_DIR, 'server.pid');

/** The production start (compiled by `npm run build`): a shell script that execs one node process. */
export const START_SCRIPT = 'demo/server/start.sh';

/** The view key TTL of the suite's demo site. */
export const VIEW_TTL_SECONDS = 15;

/** The demo's sites file, plus what the suite needs: see docs/security.md. */
export function writeSitesFile(): void {
  const stock = stockSites();
  const demo = structuredClone(stock.sites[0]!) as Record<string, unknown> & {
    otkTtlSeconds: Record<string, number>;
    operators: Record<string, unknown>[];
    forms: Record<string, unknown>[];
  };
  // The frame redeems its view key as soon as it loads; a short TTL (instead of 60 s) lets the
  // suite see one expire without a long wait.
  demo.otkTtlSeconds = { ...demo.otkTtlSeconds, view: VIEW_TTL_SECONDS };
  // The load spec starts 1,000 chats from one address within a minute: the demo site lifts its
  // flood limits for it. The other site keeps the defaults, and 11-floods.spec.ts floods that one.
  Object.assign(demo, {
    conversationRateLimit: { windowSeconds: 60, perAddress: 100_000, perSite: 1_000_000 },
    messageRateLimit: { windowSeconds: 60, perAddress: 100_000, perSite: 1_000_000 },
  });
  demo.operators = [...demo.operators, { username: 'lockie', displayName: 'Lockie Lockout', role: 'agent', profile: 'agent' }];
  // 08-sign-in locks this one with a burst of parallel sign-ins.
  demo.operators = [...demo.operators, { username: 'racer', displayName: 'Racer Burst', role: 'agent', profile: 'agent' }];
  // 14-exchange signs this one in by workspace token. An agent of its own: sign-ins count per
  // operator (10 a minute), and the other specs sign alice in often enough to fill her window.
  demo.operators = [
    ...demo.operators,
    { username: 'wendy', displayName: 'Wendy Workspace', role: 'agent', profile: 'agent', externalId: 'brand-agent-wendy' },
  ];
  demo.forms = [
    ...demo.forms,
    {
      id: 'identity-check',
      version: 1,
      title: 'Identity check',
      fields: [
        { id: 'ssn', type: 'ssn', label: 'Social Security number' },
        {
          id: 'secretAnswer',
          type: 'secret-answer',
          label: 'Answer to your secret question',
          hint: 'The answer you chose when you opened the account',
        },
      ],
    },
  ];
  const other = {
    ...structuredClone(stock.sites[0]!),
    id: OTHER_SITE,
    title: 'Other Brand',
    historyViewing: false,
    operators: [
      { username: 'olga', displayName: 'Olga Other', role: 'agent', profile: 'agent' },
      // The other site's admin: its API credential must not reach the demo site's conversations.
      { username: 'oscar', displayName: 'Oscar Other', role: 'admin', profile: 'admin' },
    ],
    // An origin of this site alone: the demo site's requests must not be CORS-approved for it.
    brandOrigins: [...(stock.sites[0]!.brandOrigins as string[]), OTHER_BRAND],
  };
  // Workspace tokens (14-exchange.spec.ts): two keys on the demo site (a rotation), one on the other.
  const workspaceTokens = makeWorkspaceKeys({ [SITE]: ['demo-2026-11', 'demo-2026-12'], [OTHER_SITE]: ['other-1'] });
  Object.assign(demo, { workspaceTokens: workspaceTokens[SITE] });
  Object.assign(other, { workspaceTokens: workspaceTokens[OTHER_SITE] });
  writeSites(SITES_FILE, { sites: [demo, other] });
}

export function serverPid(): number | null {
  return existsSync(PID_FILE()) ? Number(readFileSync(PID_FILE(), 'utf8')) || null : null;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function ready(deadline: number, pid: number): Promise<void> {
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      const stderr = existsSync(SERVER_STDERR) ? readFileSync(SERVER_STDERR, 'utf8').slice(-2000) : '';
      throw new Error(`The demo server exited while starting:\n${stderr}`);
    }
    try {
      const [brand, pci] = await Promise.all([
        call(`${BRAND}/demo-config.json`, { timeoutMs: 1000 }),
        call(`${PCI}/v1/openapi.json`, { timeoutMs: 1000 }),
      ]);
      if (brand.status === 200 && pci.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('The demo server did not start within 60 s.');
}

/** Start the server on the suite's data directory; resolves with its pid once both origins answer. */
export async function startServer(): Promise<number> {
  mkdirSync(DATA_DIR, { recursive: true, mode: 0o700 });
  const out = openSync(SERVER_STDOUT, 'a');
  const err = openSync(SERVER_STDERR, 'a');
  const child = spawn('sh', [START_SCRIPT], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(BRAND_PORT),
      PCI_PORT: String(PCI_PORT),
      SECURE_FORMS_DATA_DIR: DATA_DIR,
      SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
      SECURE_FORMS_SITES_FILE: SITES_FILE,
      SECURE_FORMS_DEMO_PASSWORD: PASSWORD,
      SECURE_FORMS_DEMO_TOTP_SECRET: TOTP_SECRET,
      // The suite's forwarding proxy (security/edge-proxy.ts) connects from this address.
      SECURE_FORMS_TRUSTED_PROXIES: PROXY_SOURCE,
      // The integration spec's webhook receiver listens on loopback (a test-only setting; the
      // private-address refusal itself is tested in demo/server/src/webhooks.test.ts).
      SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE: '1',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', out, err],
  });
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error('The demo server could not be started.');
  writeFileSync(PID_FILE(), String(pid));
  await ready(Date.now() + 60_000, pid);
  return pid;
}

/** Stop the current server with `signal` and wait until the process is gone. */
export async function stopServer(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const pid = serverPid();
  if (!pid || !isAlive(pid)) return;
  process.kill(pid, signal);
  const deadline = Date.now() + 10_000;
  while (isAlive(pid) && Date.now() < deadline) await sleep(25);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  resetConnections();
}
