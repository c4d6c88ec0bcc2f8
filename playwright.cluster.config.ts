import { defineConfig, devices } from '@playwright/test';
import { chromiumLaunchOptions } from './scripts/chromium.ts';

// The config is evaluated again in every worker: set once, in the runner, inherited by the workers.
// The brand proxy listens on the base port, the PCI proxy on the next, the instances after them.
process.env.CLUSTER_E2E_PORT_BASE ??= '18620';

/**
 * The round trip in a browser against several instances behind one proxy per origin
 * (scripts/cluster): started with its engines by the global setup, stopped by its teardown.
 */
export default defineConfig({
  testDir: 'scripts/cluster/e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 90_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalSetup: './scripts/cluster/e2e/global-setup.ts',
  use: {
    baseURL: `http://localhost:${process.env.CLUSTER_E2E_PORT_BASE}`,
    trace: 'retain-on-failure',
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], launchOptions: chromiumLaunchOptions() } }],
});
