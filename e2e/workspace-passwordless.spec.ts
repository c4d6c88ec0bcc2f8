/**
 * A passkey alone on a site that allows it (`secondFactor.passwordless`), with Chromium's virtual
 * authenticator: "Sign in with a passkey" on the sign-in form, reached and pressed by keyboard,
 * axe-clean; a device without a passkey for the site is told what to do; an admin resets another
 * operator's passkeys with its own. Its own server (the built one, on free ports) runs a sites file
 * whose demo site allows passwordless sign-in; the configuration's server, whose site does not,
 * shows no such button.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startBuiltServer, stopBuiltServers, type Running } from '../demo/server/src/test/built-server.js';
import { stockSites, writeSites } from '../scripts/sites-file.js';
import { DEMO_PASSWORD, DEMO_TOTP } from './support.js';
import { virtualAuthenticator } from './virtual-authenticator.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const TOTP_SECRET = process.env.E2E_DEMO_TOTP_SECRET ?? '';

let server: Running;
let dir: string;
let brand: string;

test.beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sf-passwordless-e2e-'));
  const sites = stockSites();
  sites.sites[0]!.secondFactor = { agents: false, passwordless: true };
  server = await startBuiltServer({
    SECURE_FORMS_SITES_FILE: writeSites(join(dir, 'sites.json'), sites),
    SECURE_FORMS_DEMO_PASSWORD: DEMO_PASSWORD,
    SECURE_FORMS_DEMO_TOTP_SECRET: TOTP_SECRET,
  });
  brand = `http://localhost:${server.brandPort}`;
});

test.afterAll(() => {
  stopBuiltServers();
  rmSync(dir, { recursive: true, force: true });
});

async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  expect(
    results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    `axe violations on ${what}`,
  ).toEqual([]);
}

/** Password and code by keyboard (`ahead` steps of 30 s, so that no code is used twice). */
async function passwordAndCode(page: Page, username: string, ahead = 0): Promise<void> {
  await page.goto(`${brand}/agent`);
  await page.getByLabel('Username').focus();
  await page.keyboard.type(username);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEMO_PASSWORD);
  await page.keyboard.press('Enter');
  await page.getByLabel('Authentication code').fill(DEMO_TOTP.generate({ timestamp: Date.now() + ahead * 30_000 }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
}

/** The passkey offer after a sign-in with none: add one by keyboard. */
async function addPasskey(page: Page, name: string): Promise<void> {
  await page.getByLabel('Name for the new passkey').focus();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(name);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText(`Passkey "${name}" added.`);
}

test('a manager signs in with a passkey alone by keyboard, user verified; a device without one is told what to do', async ({ page }) => {
  test.setTimeout(120_000);
  await virtualAuthenticator(page);
  await passwordAndCode(page, 'max');
  await addPasskey(page, 'Laptop');
  await page.getByRole('button', { name: 'Sign out' }).press('Enter');

  // From the password field: past "Sign in" to "Sign in with a passkey", described by its hint.
  const passkey = page.getByRole('button', { name: 'Sign in with a passkey' });
  await expect(passkey).toBeVisible();
  await expect(passkey).toHaveAccessibleDescription(/No password to type/);
  await expectNoViolations(page, 'the sign-in form with a passkey');
  await page.getByLabel('Password').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(passkey).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByText('Signed in as Max Manager').first()).toBeVisible();

  // Another device, with no passkey for this site: the sign-in form's alert says what to do, focus stays on the button.
  const bare = await page.context().newPage();
  await virtualAuthenticator(bare);
  await bare.goto(`${brand}/agent`);
  await bare.getByRole('button', { name: 'Sign in with a passkey' }).press('Enter');
  await expect(bare.getByRole('alert').filter({ hasText: 'The passkey was not used' })).toBeVisible();
  await expect(bare.getByRole('button', { name: 'Sign in with a passkey' })).toBeFocused();
  await expectNoViolations(bare, 'the sign-in form after a passkey not used');
  await bare.close();
});

test('a site that does not allow a passkey alone shows no such button', async ({ page }) => {
  // The configuration's server (baseURL): its demo site keeps passwordless off. The page asks for the options and is refused.
  const probe = page.waitForResponse((r) => r.url().endsWith('/v1/sessions/passkey/options'));
  await page.goto('/agent');
  expect((await probe).status()).toBe(403);
  await expect(page.getByRole('button', { name: 'Sign in', exact: true })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Sign in with a passkey' })).toHaveCount(0);
});

test('the passkey sign-in reads right to left in Arabic at 320 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${brand}/agent?lang=ar`);
  const passkey = page.getByRole('button', { name: 'تسجيل الدخول بمفتاح مرور' });
  await expect(passkey).toHaveAttribute('dir', 'rtl');
  await expect(passkey).toHaveAttribute('lang', 'ar');
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  await expectNoViolations(page, 'the passkey sign-in in Arabic at 320 px');
});

test('an admin resets a manager’s passkeys, confirmed with its own passkey; the manager’s passkey no longer signs in and the code does', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // Morgan, a manager, adds a passkey after a first sign-in with a code.
  await virtualAuthenticator(page);
  await passwordAndCode(page, 'morgan');
  await addPasskey(page, 'Phone');
  await page.getByRole('button', { name: 'Sign out' }).click();

  // Ada, the admin, on her own device: with no passkey of her own yet, the reset is refused and says why.
  const admin = await page.context().newPage();
  await virtualAuthenticator(admin);
  await passwordAndCode(admin, 'ada');
  const reset = admin.getByRole('button', { name: 'Reset passkeys of Morgan Manager' });
  await reset.focus();
  await admin.keyboard.press('Enter');
  await expect(admin.getByRole('heading', { name: 'Reset the passkeys of Morgan Manager?' })).toBeFocused();
  await expect(reset).toHaveAttribute('aria-expanded', 'true');
  await expectNoViolations(admin, 'the passkey reset confirmation');
  await admin.keyboard.press('Tab');
  await expect(admin.getByRole('button', { name: 'Confirm with my passkey' })).toBeFocused();
  await admin.keyboard.press('Enter');
  await expect(admin.getByRole('alert').filter({ hasText: 'Add a passkey of your own first' })).toBeVisible();
  await expect(admin.getByRole('button', { name: 'Confirm with my passkey' })).toBeFocused();
  // Cancel: nothing removed, focus back on the operator's button.
  await admin.getByRole('button', { name: 'Cancel' }).press('Enter');
  await expect(reset).toBeFocused();
  await expect(admin.getByRole('heading', { name: 'Reset the passkeys of Morgan Manager?' })).toBeHidden();

  // With her own passkey added, she confirms with it and the reset is done.
  await addPasskey(admin, 'Admin key');
  await reset.press('Enter');
  await admin.keyboard.press('Tab');
  await admin.keyboard.press('Enter');
  await expect(admin.getByRole('status')).toHaveText('The passkeys of Morgan Manager were reset.');
  await expect(reset).toBeFocused();
  await expect(admin.getByRole('button', { name: 'Reset passkeys of Ada Admin' })).toHaveCount(0);
  await admin.close();

  // Morgan's passkey no longer signs in...
  await page.getByRole('button', { name: 'Sign in with a passkey' }).press('Enter');
  await expect(page.getByRole('alert').filter({ hasText: 'That passkey is not one added to an account here' })).toBeVisible();
  // ...and the next sign-in asks for the code, the fallback this site takes, then offers to add a passkey again.
  await page.getByLabel('Username').fill('morgan');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).press('Enter');
  await expect(page.getByLabel('Authentication code')).toBeFocused();
  await expect(page.getByRole('button', { name: 'Use a passkey' })).toHaveCount(0);
  await page.keyboard.type(DEMO_TOTP.generate({ timestamp: Date.now() + 30_000 }));
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByText('You have no passkeys yet.')).toBeVisible();
});
