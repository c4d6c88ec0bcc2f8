import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.ts';

// The config is evaluated again in every worker: set these once, in the runner.
process.env.EXAMPLES_CHAT_PORT ??= '5440';
process.env.EXAMPLES_PCI_PORT ??= '5441';
process.env.EXAMPLES_DEMO_PORT ??= '5442';

const chatOrigin = `http://localhost:${process.env.EXAMPLES_CHAT_PORT}`;

/**
 * The examples (examples/): secure forms inside chat UIs nobody on this project wrote, and a
 * brand's own chat server, against the Secure Forms backend on a fresh data directory. One
 * command starts both, set up the way docs/integration.md says (examples/scripts/start.ts).
 */
export default defineConfig({
  testDir: 'e2e/examples',
  // Not *.spec.ts: the demo's config (testDir e2e) must not pick these up.
  testMatch: '*.examples.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Each test is a whole round trip in two browser contexts plus two axe scans (frames and shadow
  // roots): about 20 s on a quiet machine, three times that on a busy one.
  timeout: 120_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: { baseURL: chatOrigin, trace: 'retain-on-failure', launchOptions: chromiumLaunchOptions() },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } }],
  webServer: {
    command: 'node --import tsx examples/scripts/start.ts',
    url: `${chatOrigin}/healthz`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    // Asked to stop (rather than killed at once), the script stops its servers and removes the
    // data directory it made in the temp folder.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 10_000 },
  },
});
