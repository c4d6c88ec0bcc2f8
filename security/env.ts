/**
 * Where the security suite's demo runs and what it signs in with. playwright.security.config.ts
 * sets these once in the runner; the workers inherit them through the environment.
 */
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dirname, '..');
export const BRAND_PORT = Number(process.env.SEC_BRAND_PORT ?? 18380);
export const PCI_PORT = Number(process.env.SEC_PCI_PORT ?? 18743);
/** The brand origin the pages use; the demo also lists 127.0.0.1 (below) as a brand origin. */
export const BRAND = `http://localhost:${BRAND_PORT}`;
export const BRAND_BY_IP = `http://127.0.0.1:${BRAND_PORT}`;
export const PCI = `http://127.0.0.1:${PCI_PORT}`;
/** The suite's forwarding proxy (security/edge-proxy.ts): a TLS proxy's hop in front of the PCI origin. */
export const PROXY_PORT = Number(process.env.SEC_PROXY_PORT ?? 18745);
export const PROXY = `http://127.0.0.1:${PROXY_PORT}`;
/** The loopback address the proxy connects to the server from; the server trusts it (SECURE_FORMS_TRUSTED_PROXIES). */
export const PROXY_SOURCE = '127.0.0.100';
/** A brand origin listed only for the second site, for CORS per site. */
export const OTHER_BRAND = 'http://other-brand.test';

export const RUN_DIR = process.env.SEC_RUN_DIR ?? '';
export const DATA_DIR = join(RUN_DIR, 'data');
export const SITES_FILE = join(RUN_DIR, 'sites.json');
export const SERVER_STDOUT = join(RUN_DIR, 'server.stdout.log');
export const SERVER_STDERR = join(RUN_DIR, 'server.stderr.log');
/** Every CSP violation a browser page reported during the run, one JSON object per line. */
export const VIOLATIONS_FILE = join(RUN_DIR, 'csp-violations.jsonl');
/** Small facts one spec leaves for a later one (e.g. how many CSP reports the probes caused). */
export const STATE_FILE = join(RUN_DIR, 'state.json');
export const PASSWORD = process.env.SEC_DEMO_PASSWORD ?? '';
export const TOTP_SECRET = process.env.SEC_TOTP_SECRET ?? '';
export const SITE = 'demo';
/** A second site with its own agent, for keys used on the wrong site. */
export const OTHER_SITE = 'other';

/**
 * Source addresses on the loopback network: each actor has its own per-address rate limits, as
 * separate machines would. Browsers (visitors, agents) connect from 127.0.0.1.
 */
export const FROM = {
  abuse: '127.0.0.7',
  attacker: '127.0.0.66',
  admin: '127.0.0.67',
  load: '127.0.0.50',
  faults: '127.0.0.60',
  scan: '127.0.0.80',
  edgeGuesser: '127.0.0.101',
  edgeVisitor: '127.0.0.102',
  edgeAgent: '127.0.0.103',
  edgeForger: '127.0.0.104',
  flood: '127.0.0.90',
  floodOther: '127.0.0.91',
  custody: '127.0.0.95',
  envelopes: '127.0.0.120',
  envelopesAgent: '127.0.0.121',
  signIn: '127.0.0.130',
  integration: '127.0.0.140',
  workspaceTokens: '127.0.0.150',
} as const;
