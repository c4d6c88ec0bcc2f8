import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.ts';
import { runDir } from './scripts/run-dir.ts';
import { stockSites, writeSites } from './scripts/sites-file.ts';

// The config is evaluated again in every worker: set these once, in the runner, and let the
// workers inherit them through the environment.
process.env.E2E_BRAND_PORT ??= '18080';
process.env.E2E_PCI_PORT ??= '18443';
process.env.E2E_DEMO_PASSWORD ??= `e2e${randomBytes(12).toString('base64url')}7`;
const dataDir = runDir('E2E_DATA_DIR', 'secure-forms-e2e-');
// Managers and admins sign in with TOTP; the tests enrol them with a secret they know.
process.env.E2E_DEMO_TOTP_SECRET ??= Array.from(randomBytes(32), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');

/**
 * The demo's sites with per-address limits for a whole suite on one address. The specs sign in as
 * the demo's few operators and start visitors' chats from this machine, one after another, and on
 * a fast machine go past the demo's limits (30 sign-ins a minute per address and 10 per operator,
 * "Too many attempts"; 20 new chats a minute per address, RATE_LIMITED), as a call centre or a
 * shared office behind one egress address would. Nothing else changes. The limits themselves are
 * tested on the demo's own values by the server's tests (accounts/attempts.test.ts,
 * floods.test.ts) and the security suite (08-sign-in, 10-network-edge, 11-floods).
 */
function suiteSitesFile(dataDir: string): string {
  const sites = stockSites();
  for (const site of sites.sites) {
    site.loginRateLimit = { windowSeconds: 60, perOperator: 200, perAddress: 1000 };
    site.conversationRateLimit = { windowSeconds: 60, perAddress: 1000, perSite: 1000 };
    site.messageRateLimit = { windowSeconds: 60, perAddress: 6000, perSite: 6000 };
  }
  return writeSites(join(dataDir, 'sites.json'), sites);
}
process.env.E2E_SITES_FILE ??= suiteSitesFile(dataDir);

const brandOrigin = `http://localhost:${process.env.E2E_BRAND_PORT}`;

/** End-to-end tests across both origins, against the demo server on a fresh data directory. */
export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  globalTeardown: './e2e/global-teardown.ts',
  use: {
    baseURL: brandOrigin,
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } }],
  webServer: {
    // stdout to a file: e2e/global-teardown.ts checks it for CSP violation reports.
    command: `npm run start --workspace @secure-forms/demo > "${join(dataDir, 'server.log')}"`,
    url: `${brandOrigin}/demo-config.json`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: process.env.E2E_BRAND_PORT,
      PCI_PORT: process.env.E2E_PCI_PORT,
      SECURE_FORMS_DATA_DIR: dataDir,
      SECURE_FORMS_SITES_FILE: process.env.E2E_SITES_FILE,
      // The demo's keys are files in its data directory: allowed for the demo only.
      SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
      SECURE_FORMS_DEMO_PASSWORD: process.env.E2E_DEMO_PASSWORD,
      SECURE_FORMS_DEMO_TOTP_SECRET: process.env.E2E_DEMO_TOTP_SECRET,
    },
  },
});
