/**
 * The examples on a phone and with the keyboard alone: at 320 px wide, each chat page with a secure
 * form in it is axe-clean and never wider than the screen (WCAG 1.4.10 Reflow), and on the brand's
 * own chat page a visitor starts the chat and completes the form without a pointer: Tab, typing,
 * Enter and Space, the form opening as a modal dialog at that width.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { deepFocus, fillCardFormByKeyboard, tabUntil } from '../widget-support.js';
import { axeViolations, CHAT_UIS, watchPolicyViolations } from './support.js';

const PHONE = { width: 320, height: 640 };

/** The agent, in the brand's workspace (signed in by its workspace token), sends the card form to `visitorName`. */
async function agentSendsForm(browser: Browser, visitorName: string, violations: string[]) {
  const context = await browser.newContext();
  const agent = await context.newPage();
  watchPolicyViolations(agent, violations);
  await agent.goto('/agent');
  await expect(agent.getByText('Signed in to Secure Forms as Alice Agent.')).toBeVisible();
  await agent.getByRole('button', { name: `Open conversation with ${visitorName}` }).click();
  await agent.locator('secure-form-panel').getByRole('button', { name: 'Send secure form' }).click();
  return context;
}

/** How much wider than the viewport the page is laid out (0 when it reflows). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const ui of CHAT_UIS) {
  test(`at 320 px, ${ui.name} with a secure form in it is axe-clean and no wider than the screen`, async ({ browser }) => {
    const visitorName = `Pia ${ui.path.slice(1) || 'plain'} phone`;
    const violations: string[] = [];
    const visitorContext = await browser.newContext({ viewport: PHONE });
    const visitor = await visitorContext.newPage();
    watchPolicyViolations(visitor, violations);
    await visitor.goto(ui.path);
    expect(await overflow(visitor), 'the start form').toBe(0);
    await visitor.getByLabel('Your name').fill(visitorName);
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    await expect(visitor.getByRole('status').filter({ hasText: 'Connected.' })).toBeVisible();
    const agentContext = await agentSendsForm(browser, visitorName, violations);
    await expect(visitor.getByRole('button', { name: 'Open secure form' })).toBeVisible();
    expect(await overflow(visitor), 'the chat with the invitation').toBe(0);
    expect(await axeViolations(visitor), `axe on ${ui.path} at 320 px`).toEqual([]);
    expect(violations).toEqual([]);
    await visitorContext.close();
    await agentContext.close();
  });
}

test('on the brand’s own chat page at 320 px, a visitor starts the chat and sends a secure form with the keyboard alone', async ({
  browser,
}) => {
  const visitorName = 'Kim Keyboard phone';
  const violations: string[] = [];
  const visitorContext = await browser.newContext({ viewport: PHONE });
  const page = await visitorContext.newPage();
  watchPolicyViolations(page, violations);
  await page.goto('/');
  await tabUntil(page, 'INPUT:');
  await expect(page.getByLabel('Your name')).toBeFocused();
  await page.keyboard.type(visitorName);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status').filter({ hasText: 'Connected.' })).toBeVisible();
  const agentContext = await agentSendsForm(browser, visitorName, violations);

  await expect(page.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  await tabUntil(page, 'BUTTON:Open secure form');
  await page.keyboard.press('Space');
  const frame = page.frameLocator('iframe[title^="Secure form"]');
  const card = frame.getByLabel('Card number');
  await expect(card).toBeVisible();
  // Focus moved into the form's frame: the next Tab lands on the first field.
  await expect.poll(() => deepFocus(page)).toBe('IFRAME:');
  await fillCardFormByKeyboard(page, frame);
  await page.keyboard.press('Enter');

  // Review: the heading takes focus; Tab past the five Change links to Send securely.
  await expect(frame.getByRole('heading', { name: 'Check your answers before sending' })).toBeFocused();
  for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
  await expect(frame.getByRole('button', { name: 'Send securely' })).toBeFocused();
  await page.keyboard.press('Space');

  // The frame closes, the invitation says it was sent, and the chat server relays the webhook's line.
  await expect(page.locator('secure-form-invite').getByText('Sent securely')).toBeVisible();
  await expect(page.getByText('The answers were sent securely.')).toBeVisible({ timeout: 20_000 });
  expect(await overflow(page)).toBe(0);
  expect(violations).toEqual([]);
  await visitorContext.close();
  await agentContext.close();
});
