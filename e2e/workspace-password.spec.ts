/**
 * An operator changes its own password in the workspace: "Change password" opens a small form
 * (current, new, confirm; password-manager friendly, paste allowed); a refusal shows in the error
 * summary, which takes focus and links to the field; success is said in the status region and
 * focus goes back to the button; axe finds nothing, at 320 px too.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type APIResponse } from '@playwright/test';
import { DEMO_PASSWORD, PCI_ORIGIN } from './support.js';

const NEW_PASSWORD = 'violet4Harbor9lamp';
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** POST, waiting out a sign-in rate limit (the specs before this one sign in too, from the same address). */
async function post(request: APIRequestContext, path: string, data: unknown, headers: Record<string, string> = {}): Promise<APIResponse> {
  for (;;) {
    const res = await request.post(`${PCI_ORIGIN}/v1${path}`, { data, headers });
    if (res.status() !== 429) return res;
    await new Promise((resolve) => setTimeout(resolve, Number(res.headers()['retry-after'] ?? '1') * 1000));
  }
}

/**
 * Give alice the demo password back, for the specs after this one. The last 4 passwords are
 * refused, so through three others first.
 */
async function restoreDemoPassword(request: APIRequestContext, from: string): Promise<void> {
  const login = await post(request, '/sessions', { siteId: 'demo', username: 'alice', password: from });
  expect(login.status()).toBe(201);
  const { token } = (await login.json()) as { token: string };
  let current = from;
  for (const next of ['amber1Canyon2drift', 'birch3Delta4ember', 'cobalt5Fjord6glade', DEMO_PASSWORD]) {
    const res = await post(
      request,
      '/sessions/current/password',
      { currentPassword: current, newPassword: next },
      { 'Secure-Forms-Session': token },
    );
    expect(res.status()).toBe(204);
    current = next;
  }
}

test('an operator changes its password: refusals in the error summary, success in the status region, focus back on the button', async ({
  page,
  request,
}) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto('/agent');
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();

  const open = page.getByRole('button', { name: 'Change password' });
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  await open.click();
  await expect(open).toHaveAttribute('aria-expanded', 'true');
  await expect(page.getByRole('form', { name: 'Change password' })).toBeVisible();
  const current = page.getByLabel('Current password');
  const fresh = page.getByLabel('New password', { exact: true });
  const confirm = page.getByLabel('Confirm new password');
  await expect(current).toBeFocused();
  await expect(current).toHaveAttribute('autocomplete', 'current-password');
  await expect(fresh).toHaveAttribute('autocomplete', 'new-password');
  await expect(confirm).toHaveAttribute('autocomplete', 'new-password');
  // Nothing stops a paste (WCAG 3.3.8): a cancelable paste event goes through untouched.
  for (const field of [current, fresh, confirm]) {
    expect(await field.evaluate((el) => el.dispatchEvent(new ClipboardEvent('paste', { cancelable: true, bubbles: true })))).toBe(true);
  }
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations.map((v) => v.id)).toEqual([]);

  // A confirmation that differs: said before anything is sent.
  await current.fill(DEMO_PASSWORD);
  await fresh.fill(NEW_PASSWORD);
  await confirm.fill('violet4Harbor9lamps');
  await page.getByRole('button', { name: 'Save new password' }).click();
  const summary = page.getByRole('alert', { name: 'There is a problem' });
  await expect(summary).toBeFocused();
  const mismatch = 'The two new passwords are not the same. Enter the new password again.';
  await expect(summary.getByRole('link', { name: mismatch })).toBeVisible();
  await expect(confirm).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).toHaveAccessibleDescription(mismatch);
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations.map((v) => v.id)).toEqual([]);
  // The summary's link leads to the field.
  await summary.getByRole('link', { name: mismatch }).click();
  await expect(confirm).toBeFocused();

  // A common password: the server's refusal, on the new password's field.
  await fresh.fill('qwerty123456');
  await confirm.fill('qwerty123456');
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(summary).toBeFocused();
  const common = summary.getByRole('link', { name: /one of the most common passwords/ });
  await expect(common).toBeVisible();
  await expect(fresh).toHaveAttribute('aria-invalid', 'true');
  await expect(confirm).not.toHaveAttribute('aria-invalid', 'true');
  await common.click();
  await expect(fresh).toBeFocused();

  // A good one: the form goes, the status says so, focus is back on the button.
  await fresh.fill(NEW_PASSWORD);
  await confirm.fill(NEW_PASSWORD);
  await page.getByRole('button', { name: 'Save new password' }).click();
  await expect(page.getByRole('status')).toHaveText('Your password is changed. Your other sessions are signed out.');
  await expect(page.getByRole('form', { name: 'Change password' })).toHaveCount(0);
  await expect(open).toBeFocused();
  await expect(open).toHaveAttribute('aria-expanded', 'false');
  // At 320 px nothing scrolls sideways.
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations.map((v) => v.id)).toEqual([]);

  // The new password signs in; the old one no longer does.
  const old = await post(request, '/sessions', { siteId: 'demo', username: 'alice', password: DEMO_PASSWORD });
  expect(old.status()).toBe(401);
  await restoreDemoPassword(request, NEW_PASSWORD);
});
