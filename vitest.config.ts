import { playwright } from '@vitest/browser-playwright';
import { defineConfig } from 'vitest/config';
import { chromiumLaunchOptions } from './scripts/chromium.mjs';

/**
 * One `vitest run` for every unit and component test: node tests for pure logic and the backend,
 * browser tests for the custom elements in real Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'packages/shared/src/**/*.test.ts',
            // The panel's pure modules (no DOM): `*.node.test.ts` beside them.
            'packages/agent-panel/src/**/*.node.test.ts',
            'demo/server/src/**/*.test.ts',
            'scripts/**/*.test.ts',
          ],
        },
      },
      {
        // Bundled before the run, not discovered in the middle of it (which would reload the page).
        optimizeDeps: { include: ['react', 'react-dom', 'react-dom/client', '@lit/react'] },
        test: {
          name: 'browser',
          include: ['packages/consumer-widget/src/**/*.test.ts', 'packages/agent-panel/src/**/*.test.ts'],
          exclude: ['packages/agent-panel/src/**/*.node.test.ts'],
          browser: {
            enabled: true,
            headless: true,
            provider: playwright({ launchOptions: chromiumLaunchOptions() }),
            instances: [{ browser: 'chromium' }],
            screenshotFailures: false,
          },
        },
      },
    ],
  },
});
