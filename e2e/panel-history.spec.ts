import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { CARD, DEMO_PASSWORD, DEMO_TOTP, PCI_ORIGIN, conversation, fillAndSend, openInvitation, sendPaymentForm } from './support.js';

async function signInWithCode(page: Page, username: string, displayName: string): Promise<void> {
  await page.goto('/agent');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  // As authenticator apps show and copy it, "186 806": the whole code fits and the space is dropped.
  const code = DEMO_TOTP.generate();
  const field = page.getByLabel('Authentication code');
  await field.fill(`${code.slice(0, 3)} ${code.slice(3)}`);
  await expect(field).toHaveValue(`${code.slice(0, 3)} ${code.slice(3)}`);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText(`Signed in as ${displayName}`, { exact: true })).toBeVisible();
}

test('a manager with the history permission reads the on-the-record answers, never the CVV', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Hedda History');
  await sendPaymentForm(agent);
  await fillAndSend(await openInvitation(visitor));
  await expect(agent.locator('secure-form-panel').getByText(CARD.panelMasked)).toBeVisible();

  const managerContext = await browser.newContext();
  const manager = await managerContext.newPage();
  await signInWithCode(manager, 'morgan', 'Morgan Manager');
  await manager.getByRole('button', { name: 'Open conversation with Hedda History' }).click();
  const panel = manager.locator('secure-form-panel');
  await panel.getByRole('button', { name: /View answers/ }).click();
  await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
  await expect(panel.getByText('Billing postcode', { exact: true })).toBeVisible();
  await expect(panel.getByText(/Security code/)).toHaveCount(0);
  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toBeVisible();
  const axe = await new AxeBuilder({ page: manager }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);
  await managerContext.close();
  await close();
});

test('a manager without the permission is refused the history of a conversation', async ({ browser, request }) => {
  const { visitor, agent, close } = await conversation(browser, 'Max Refused');
  await sendPaymentForm(agent);
  await fillAndSend(await openInvitation(visitor));
  await expect(agent.locator('secure-form-panel').getByText(CARD.panelMasked)).toBeVisible();

  const password = await request.post(`${PCI_ORIGIN}/v1/sessions`, { data: { siteId: 'demo', username: 'max', password: DEMO_PASSWORD } });
  const { challenge } = await password.json();
  const signedIn = await request.post(`${PCI_ORIGIN}/v1/sessions/second-factor`, { data: { challenge, totp: DEMO_TOTP.generate() } });
  expect(signedIn.status()).toBe(201);
  const { token } = await signedIn.json();
  const headers = { 'Secure-Forms-Session': token };
  const list = await (await request.get(`${PCI_ORIGIN}/v1/conversations`, { headers })).json();
  const conversationId = list.conversations.find((c: { visitorName: string }) => c.visitorName === 'Max Refused').id;
  const history = await request.get(`${PCI_ORIGIN}/v1/conversations/${conversationId}/history`, { headers });
  expect(history.status()).toBe(403);
  expect((await history.json()).error.code).toBe('FORBIDDEN');
  await close();
});
