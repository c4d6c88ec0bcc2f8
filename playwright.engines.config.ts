import './e2e/engines/env.ts';
import { defineConfig } from '@playwright/test';
import chromiumConfig from './playwright.config.ts';
import type { Engine } from './e2e/engines/fixtures.ts';

/**
 * The round trip in other engines than Chromium (e2e/engines), Firefox and WebKit: the same demo
 * server as the Chromium run, on its own ports (e2e/engines/env.ts); one project per engine.
 */
export default defineConfig<{ engine: Engine }>({
  testDir: 'e2e/engines',
  testMatch: '*.engines.ts',
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // WebKit takes about a minute a test alone, nearly three on a busy 2-core machine.
  timeout: 300_000,
  expect: { timeout: 15_000 },
  reporter: [['list']],
  globalTeardown: './e2e/global-teardown.ts',
  use: { baseURL: `http://localhost:${process.env.E2E_BRAND_PORT}` },
  projects: [
    { name: 'firefox', use: { engine: 'firefox' } },
    { name: 'webkit', use: { engine: 'webkit' } },
  ],
  webServer: chromiumConfig.webServer,
});
