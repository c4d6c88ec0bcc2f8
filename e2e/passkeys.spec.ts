/**
 * Passkeys in the agent workspace, with Chromium's virtual authenticator (the CDP WebAuthn
 * domain): a manager adds one after signing in with a code, then signs in with password and
 * passkey; a device without the passkey, a passkey removed meanwhile, and a copied passkey whose
 * counter did not move are each refused and said so. Keyboard only and axe-clean on the new screens.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP, PCI_ORIGIN } from './support.js';
import { virtualAuthenticator } from './virtual-authenticator.js';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

/** Type the password step with the keyboard only. */
async function password(page: Page, username: string): Promise<void> {
  await page.goto('/agent');
  await page.getByLabel('Username').focus();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
}

test('a manager adds a passkey after a code, signs in with it by keyboard; a copied passkey, a device without one and a removed one are refused', async ({
  page,
}) => {
  // Four pages and eleven sign-in steps: more than the default minute on a busy machine.
  test.setTimeout(180_000);
  const { cdp, authenticatorId } = await virtualAuthenticator(page);
  await password(page, 'max');
  // No passkey yet: the code, as before (one step ahead, as workspace-first-use does, so that no other spec's code is reused).
  await page.getByLabel('Authentication code').fill(DEMO_TOTP.generate({ timestamp: Date.now() + 30_000 }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  // The offer to enrol: the list opens by itself, without taking focus from the queue.
  await expect(page.getByRole('heading', { name: 'Your passkeys' })).toBeVisible();
  await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
  await expectNoViolations(page, 'the passkey offer after sign-in');
  // The name is free text: typed, pasted or left as it is; nothing asks for memory (WCAG 3.3.8).
  await page.getByLabel('Name for the new passkey').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('Virtual key');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Passkey "Virtual key" added.');
  await expect(page.getByRole('heading', { name: 'Your passkeys' })).toBeFocused();
  await expect(page.getByRole('button', { name: 'Remove Virtual key' })).toBeVisible();
  await expectNoViolations(page, 'the passkey list');

  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await password(page, 'max');
  await expect(page.getByRole('heading', { name: 'Confirm it is you with your passkey' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use a passkey' })).toBeFocused();
  await expectNoViolations(page, 'the passkey step');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByRole('heading', { name: 'Your passkeys' })).toBeHidden(); // max has one now: no offer

  // A copy of the passkey on another device (same key, same counter) signs in first...
  const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
  expect(credentials).toHaveLength(1);
  const copy = await page.context().newPage();
  const copied = await virtualAuthenticator(copy);
  await copied.cdp.send('WebAuthn.addCredential', { authenticatorId: copied.authenticatorId, credential: credentials[0]! });
  await password(copy, 'max');
  await expect(copy.getByRole('button', { name: 'Use a passkey' })).toBeFocused();
  await copy.keyboard.press('Enter');
  await expect(copy.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  // ...so the original's counter no longer moves past the stored one: refused as a clone.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await password(page, 'max');
  await expect(page.getByRole('button', { name: 'Use a passkey' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'This passkey looks copied' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Use a passkey' })).toBeFocused();

  // A device with no passkey for max: the browser finds none, and the step says so.
  const bare = await page.context().newPage();
  await virtualAuthenticator(bare);
  await password(bare, 'max');
  await expect(bare.getByRole('button', { name: 'Use a passkey' })).toBeFocused();
  await bare.keyboard.press('Enter');
  await expect(bare.getByRole('alert').filter({ hasText: 'The passkey was not used' })).toBeVisible();
  await bare.close();

  // Removed on the copy's session while the original waits at its step: refused as not this account's.
  await copy.getByRole('button', { name: 'Passkeys' }).click();
  await copy.getByRole('button', { name: 'Remove Virtual key' }).click();
  await expect(copy.getByRole('status')).toHaveText('Passkey "Virtual key" removed.');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'That passkey is not one added to this account' })).toBeVisible();
  // The code still works as the fallback the demo site allows.
  await expect(page.getByLabel('Authentication code')).toBeVisible();
  await copy.close();
});

test('the passkey list at 320 px in Arabic reads right to left and is axe-clean', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto('/agent?lang=ar');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  const list = page.getByRole('region', { name: 'مفاتيح المرور الخاصة بك' });
  await expect(list).toBeVisible();
  await expect(list).toHaveAttribute('dir', 'rtl');
  await expect(list).toHaveAttribute('lang', 'ar');
  // Nothing wider than the screen (WCAG 1.4.10).
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectNoViolations(page, 'the passkey list in Arabic at 320 px');
});

for (const { lang, width, height, heading } of [
  { lang: 'en', width: 1280, height: 720, heading: 'Your passkeys' },
  { lang: 'ar', width: 320, height: 640, heading: 'مفاتيح المرور الخاصة بك' },
] as const) {
  test(`the passkey offer opens after the queue and moves nothing shown, however late it comes (${lang}, ${width} px)`, async ({
    page,
    request,
  }) => {
    // A waiting conversation in the queue, with a button to take it.
    const visitorName = `Olive Offer ${lang}`;
    const started = await request.post(`${PCI_ORIGIN}/v1/conversations`, { data: { siteId: 'demo', visitorName } });
    expect(started.ok()).toBe(true);
    const take = `Take conversation with ${visitorName}`;
    // Every box the button has had in the viewport, frame by frame, from the first frame it shows in:
    // a pointer (or a magnifier's view) aimed at it must find it where it first showed.
    await page.addInitScript((name) => {
      const boxes: string[] = [];
      (window as unknown as { takeBoxes: string[] }).takeBoxes = boxes;
      const watch = () => {
        const button = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
        if (button?.checkVisibility()) {
          const { x, y, width, height } = button.getBoundingClientRect();
          const box = [x, y, width, height].join(' ');
          if (boxes.at(-1) !== box) boxes.push(box);
        }
        requestAnimationFrame(watch);
      };
      requestAnimationFrame(watch);
    }, take);
    // The operator's passkey list answers late: after the queue has shown.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route(/\/sessions\/current\/passkeys$/, async (route) => {
      await gate;
      await route.continue();
    });

    await page.setViewportSize({ width, height });
    await page.goto(`/agent?lang=${lang}`);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
    await expect(page.getByRole('button', { name: take })).toBeVisible();
    release();
    const offer = page.getByRole('region', { name: heading });
    await expect(offer).toBeVisible();
    // Two frames after the offer: any move it caused has been drawn.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    expect(await page.evaluate(() => (window as unknown as { takeBoxes: string[] }).takeBoxes)).toHaveLength(1);

    // The offer does not take focus, and comes after the queue in reading and keyboard order.
    await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
    const queue = await page.getByRole('region', { name: 'Conversations' }).elementHandle();
    const after = await offer.evaluate(
      (region, queue) => (queue.compareDocumentPosition(region) & Node.DOCUMENT_POSITION_FOLLOWING) !== 0,
      queue,
    );
    expect(after, 'the offer follows the queue').toBe(true);
    // Nothing wider than the screen (WCAG 1.4.10).
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}
