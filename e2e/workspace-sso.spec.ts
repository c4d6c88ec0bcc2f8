/**
 * Single sign-on in the browser: the workspace's "Sign in with <provider>" button, the provider's
 * own login and consent pages (a real OpenID Provider, oidc-provider's development pages), and
 * back in the workspace signed in; keyboard only, axe-clean, and right to left in Arabic. Its own
 * server (the built one, on free ports) runs a sites file whose demo site has single sign-on.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { startBuiltServer, stopBuiltServers, type Running } from '../demo/server/src/test/built-server.js';
import { freePort } from '../demo/server/src/test/free-port.js';
import { CLIENT_ID, CLIENT_SECRET, startTestProvider, type TestProvider } from '../demo/server/src/test/oidc-provider.js';
import { stockSites, writeSites } from '../scripts/sites-file.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const SECRET_ENV = 'SECURE_FORMS_SSO_SECRET_DEMO';

let provider: TestProvider;
let server: Running;
let dir: string;
let brand: string;

test.beforeAll(async () => {
  // The provider's port first (the sites file names its issuer); the provider itself starts once
  // the server's PCI port (its redirect URI) is known: the server reads the issuer at the first sign-in.
  const providerPort = Number(process.env.E2E_SSO_PROVIDER_PORT ?? 0) || (await freePort());
  dir = mkdtempSync(join(tmpdir(), 'sf-sso-e2e-'));
  const sites = stockSites();
  sites.sites[0]!.sso = {
    providerName: 'Test IdP',
    issuer: `http://127.0.0.1:${providerPort}`,
    clientId: CLIENT_ID,
    clientSecretEnv: SECRET_ENV,
    groups: [{ group: 'sf-agents', role: 'agent' }],
  };
  server = await startBuiltServer({ SECURE_FORMS_SITES_FILE: writeSites(join(dir, 'sites.json'), sites), [SECRET_ENV]: CLIENT_SECRET });
  brand = `http://localhost:${server.brandPort}`;
  provider = await startTestProvider({
    port: providerPort,
    redirectUris: [`http://127.0.0.1:${server.pciPort}/v1/sso/demo/callback`],
    postLogoutRedirectUris: [`${brand}/agent`],
  });
  provider.account('e2e-agent', { name: 'Eve Agent', groups: ['sf-agents'] });
  provider.account('e2e-outsider', { name: 'Otto Outsider', groups: ['marketing'] });
});

test.afterAll(async () => {
  await provider?.close();
  stopBuiltServers();
  rmSync(dir, { recursive: true, force: true });
});

/** At the provider: its login page, then its consent page, by keyboard. */
async function signInAtProvider(page: Page, accountId: string): Promise<void> {
  await page.locator('input[name="login"]').fill(accountId);
  await page.locator('input[name="password"]').fill('any password');
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Continue' }).press('Enter');
}

test('an agent signs in with the identity provider by keyboard alone, provisioned on first sign-in, and the workspace opens', async ({
  page,
}) => {
  await page.goto(`${brand}/agent`);
  const sso = page.getByRole('button', { name: 'Sign in with Test IdP' });
  await expect(sso).toBeVisible();
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations).toEqual([]);
  // Keyboard only: from the password field, past "Sign in", to the single sign-on button.
  await page.getByLabel('Password').focus();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(sso).toBeFocused();
  await page.keyboard.press('Enter');
  await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
  await signInAtProvider(page, 'e2e-agent');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await expect(page.getByText('Signed in as Eve Agent').first()).toBeVisible();
  // The hand-off code is gone from the address bar.
  expect(new URL(page.url()).hash).toBe('');
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations).toEqual([]);
});

test('an identity whose groups grant nothing is told what to do, in Arabic right to left at 320 px', async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 800 });
  await page.goto(`${brand}/agent?lang=ar`);
  const sso = page.getByRole('button', { name: 'تسجيل الدخول باستخدام Test IdP' });
  await expect(sso).toHaveAttribute('dir', 'rtl');
  await expect(sso).toHaveAttribute('lang', 'ar');
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations).toEqual([]);
  await sso.focus();
  await page.keyboard.press('Enter');
  await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
  await signInAtProvider(page, 'e2e-outsider');
  await expect(page.getByRole('alert')).toContainText('لا يملك حسابك صلاحية الوصول');
  await expect(page.getByRole('button', { name: 'تسجيل الدخول باستخدام Test IdP' })).toBeVisible();
  expect((await new AxeBuilder({ page }).withTags(WCAG).analyze()).violations).toEqual([]);
});

test('signing out of a single sign-on session signs out at the provider too: the next single sign-on asks for the login again', async ({
  page,
}) => {
  await page.goto(`${brand}/agent`);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).press('Enter');
  await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
  await signInAtProvider(page, 'e2e-agent');
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  await page.getByRole('button', { name: 'Sign out' }).press('Enter');
  // The provider's own end-session page (RP-initiated logout), then back to the workspace it was given.
  await page.waitForURL(/127\.0\.0\.1:\d+\/session\/end/);
  await page.getByRole('button', { name: 'Yes, sign me out' }).press('Enter');
  await page.waitForURL(`${brand}/agent`);
  await page.getByRole('button', { name: 'Sign in with Test IdP' }).press('Enter');
  // The provider's session ended with the workspace's: it asks who is signing in again.
  await page.waitForURL(/127\.0\.0\.1:\d+\/interaction\//);
  await expect(page.locator('input[name="login"]')).toBeVisible();
});
