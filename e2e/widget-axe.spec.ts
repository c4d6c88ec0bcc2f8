/**
 * Accessibility: axe (WCAG 2.2 A/AA, target-size on) finds nothing, and the scripted checks of the
 * QA helper (`@secure-forms/consumer-widget/testing`: focus, live regions, reflow, direction and
 * order) hold, in any state of the widget — invitation, open, errors, review, submitted, time
 * warning, expired — in English (LTR) and
 * Arabic (RTL), on a wide screen (inline form) and at 320 px (modal dialog). The host page is our
 * own, on the brand origin, so the invite can carry `locale`; the agent's side goes through the API.
 * Never-list row 5 (docs/never-list.md).
 *
 * The time states use Playwright's clock: installed on the context before navigation, it also
 * drives the cross-origin frame (checked below: the frame's "time left" jumps with fastForward).
 */
import { expect, test, type BrowserContextOptions, type Page } from '@playwright/test';
import { POSTCODE, CVV } from './support.js';
import { walkSecureForm } from '@secure-forms/consumer-widget/testing';
import { TEST_CARDS } from '../fixtures/cards.js';
import { CARD_FORM, NeverList, TEXT, apiInvitation, expectNoViolations, openHostPage, type Lang } from './widget-support.js';

const SIZES: Record<string, BrowserContextOptions> = {
  wide: {},
  '320px': { viewport: { width: 320, height: 640 } },
};

async function openHost(browser: import('@playwright/test').Browser, lang: Lang, size: string, visitorName: string, clock = false) {
  const context = await browser.newContext(SIZES[size]);
  const page = await context.newPage();
  const never = new NeverList(page);
  const invitation = await apiInvitation(page.request, visitorName);
  if (clock) await page.clock.install();
  await openHostPage(page, { ...invitation, lang });
  return { context, page, never, invitation };
}

function secureFrame(page: Page) {
  return page.frameLocator('secure-form-invite iframe');
}

for (const lang of ['en', 'ar'] as const) {
  for (const size of Object.keys(SIZES)) {
    const t = TEXT[lang];
    const label = CARD_FORM[lang];
    const where = `${lang === 'en' ? 'English, LTR' : 'Arabic, RTL'}, ${size}`;

    test(`no axe violations from invitation to submitted (${where})`, async ({ browser }) => {
      // Five states, each with axe, a screenshot and scripted checks: more than the default minute
      // on a busy machine.
      test.slow();
      const { context, page, never } = await openHost(browser, lang, size, `Axel ${lang} ${size}`);
      // The QA helper's walk: axe, reflow and the scripted checks at every state.
      await walkSecureForm(page, {
        lang,
        label: where,
        fill: async (frame) => {
          await frame.getByLabel(label.card).fill(TEST_CARDS.mastercard.number);
          await frame.getByLabel(label.expiry).fill('12/34');
          await frame.getByLabel(label.name).fill('Ada Lovelace');
          await frame.getByLabel(label.postcode).fill(POSTCODE);
          await frame.getByLabel(label.cvv).fill(CVV);
        },
        onState: async (state) => {
          if (state !== 'open form') return;
          if (size === '320px') await expect(page.getByRole('dialog')).toBeVisible();
          await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
        },
      });
      await never.expectClean(TEST_CARDS.mastercard.digits, where);
      await context.close();
    });

    test(`no axe violations in the time warning, after more time, and expired (${where})`, async ({ browser }) => {
      // Six states, each with axe and a screenshot for the report.
      test.slow();
      const { context, page, never } = await openHost(browser, lang, size, `Tim ${lang} ${size}`, true);
      await page.getByRole('button', { name: t.open }).click();
      const frame = secureFrame(page);
      await expect(frame.getByLabel(label.card)).toBeVisible();
      await frame.getByLabel(label.card).fill(TEST_CARDS.amex.number);

      // The submit key lives 30 minutes (sites.json); the warning shows in the last minute.
      const more = frame.getByRole('button', { name: t.more });
      await expect(more).toHaveCount(0);
      await page.clock.fastForward('29:20');
      await expect(more).toBeVisible();
      await expect(frame.locator('[part~="time-warning"]')).toBeVisible();
      await expect(frame.getByRole('alert')).not.toBeEmpty();
      await expectNoViolations(page, `the time warning (${where})`);

      await more.click();
      // The answers stay; the added time is announced in the frame's status region.
      await expect(frame.getByRole('status').filter({ hasText: lang === 'en' ? 'More time added' : /\S/ })).toHaveCount(1);
      await expect(frame.getByLabel(label.card)).toHaveValue(TEST_CARDS.amex.number);
      await expectNoViolations(page, `after more time was added (${where})`);

      // Let the (extended) deadline pass: the frame forgets the answers, the invitation explains.
      await page.clock.fastForward('31:00');
      await expect(page.locator('secure-form-invite iframe')).toHaveCount(0);
      const message = page.locator('secure-form-invite').getByRole('alert');
      await expect(message).not.toBeEmpty();
      await expectNoViolations(page, `the form timed out (${where})`);

      // And the invitation as the chat shows it once the invitation itself expired.
      await page.locator('secure-form-invite').evaluate((el) => el.setAttribute('state', 'expired'));
      await expect(page.getByRole('button', { name: t.open })).toHaveCount(0);
      await expectNoViolations(page, `the expired invitation (${where})`);
      await never.expectClean(TEST_CARDS.amex.digits, `${where}, timed out`);
      await context.close();
    });
  }
}
