import { randomBytes } from 'node:crypto';
import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.ts';
import { runDir } from './scripts/run-dir.ts';

// The config is evaluated again in every worker: set these once, in the runner, and let the
// workers inherit them through the environment. Ports, data directory and output directory are
// the suite's own, so it can run beside the end-to-end suite (18080/18443).
process.env.SEC_BRAND_PORT ??= '18380';
process.env.SEC_PCI_PORT ??= '18743';
process.env.SEC_ATTACKER_PORT ??= '18744';
runDir('SEC_RUN_DIR', 'secure-forms-security-');
process.env.SEC_DEMO_PASSWORD ??= `sec${randomBytes(12).toString('base64url')}7`;
process.env.SEC_TOTP_SECRET ??= Array.from(randomBytes(32), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
process.env.SEC_CANARY_SUFFIX ??= randomBytes(6).toString('hex');

/**
 * The security and reliability suite (security/*.spec.ts): the never-list under load and faults,
 * against the real demo (both origins, real browser, a real server process it starts, kills and
 * restarts itself). Prints a table of what it tried and what held (security/reporter.ts).
 */
export default defineConfig({
  testDir: 'security',
  // Only the specs: security/*.test.ts are Vitest unit tests of the suite's own logic.
  testMatch: '*.spec.ts',
  outputDir: 'test-results-security',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: [['list'], ['./security/reporter.ts']],
  globalSetup: './security/global-setup.ts',
  globalTeardown: './security/global-teardown.ts',
  use: {
    trace: 'retain-on-failure',
    launchOptions: chromiumLaunchOptions(),
  },
  projects: [{ name: 'security', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } }],
});
