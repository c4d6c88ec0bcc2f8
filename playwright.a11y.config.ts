import { resolve } from 'node:path';
import { defineConfig } from '@playwright/test';
import e2e from './playwright.config.js';

/** Where `npm run test:a11y` writes its HTML report (scripts/test-a11y.ts prints it). */
export const A11Y_REPORT_DIR = resolve(process.env.A11Y_REPORT_DIR ?? 'a11y-report');

/**
 * `npm run test:a11y`, for QA: the accessibility specs of both components against the demo
 * started like the e2e run (playwright.config.ts's web server), with Playwright's HTML report:
 * per state a screenshot, axe's results and the scripted checks (the widget's states, from
 * `@secure-forms/consumer-widget/testing`, in English and Arabic at 1280 and 320 px), and the
 * agent panel's states with axe, in English and Arabic at 1280 and 320 px (panel-locales.spec.ts).
 */
export default defineConfig({
  ...e2e,
  testMatch: ['widget-axe.spec.ts', 'widget-live-regions.spec.ts', 'accessibility.spec.ts', 'panel-agent.spec.ts', 'panel-locales.spec.ts'],
  grep: /axe|live region|focus/,
  // Every state takes a screenshot and an axe run: more than the e2e run's minute per test.
  timeout: 180_000,
  reporter: [['list'], ['html', { outputFolder: A11Y_REPORT_DIR, open: 'never' }]],
});
