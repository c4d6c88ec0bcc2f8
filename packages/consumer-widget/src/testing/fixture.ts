/**
 * A Playwright fixture for a brand's QA: `test` with `secureFormQa`, bound to the test's page.
 *
 *   import { test } from '@secure-forms/consumer-widget/testing';
 *   test('our chat', async ({ page, secureFormQa }) => {
 *     await page.goto('https://chat.example/…');   // your page, with an invitation in it
 *     await secureFormQa.walk({ lang: 'en', fill: async (frame) => { … } });
 *   });
 */
import { test as base, type Page } from '@playwright/test';
import { checkState, type CheckStateOptions, type StateReport } from './checks.js';
import { walkSecureForm, type WalkOptions } from './walk.js';

export interface SecureFormQa {
  /** `walkSecureForm` on the test's page. */
  walk(options: WalkOptions): Promise<StateReport[]>;
  /** `checkState` on the test's page, for states of your own (your chat, a closed form). */
  check(state: string, options?: CheckStateOptions): Promise<StateReport>;
}

export const test = base.extend<{ secureFormQa: SecureFormQa }>({
  secureFormQa: async ({ page }: { page: Page }, use: (qa: SecureFormQa) => Promise<void>) => {
    await use({ walk: (options) => walkSecureForm(page, options), check: (state, options) => checkState(page, state, options) });
  },
});
