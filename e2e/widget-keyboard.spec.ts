/**
 * Keyboard only: a whole form with the keyboard alone, from the demo chat page: Tab to
 * "Open secure form", Enter, Tab through the fields inside the frame, type, Shift+Tab back once,
 * Enter on Continue, review, Space on "Send securely", and focus returns to the invitation
 * (never-list row 5, docs/never-list.md).
 */
import { expect, test } from '@playwright/test';
import { TEST_CARDS } from '../fixtures/cards.js';
import { framePath, startChat } from './support.js';
import { NeverList, deepFocus, fillCardFormByKeyboard, findConversation, sendInvitation, tabUntil } from './widget-support.js';

for (const display of ['inline', 'dialog'] as const) {
  test(`the whole form with the keyboard alone (${display === 'inline' ? 'wide screen, inline' : '320 px, modal dialog'})`, async ({
    browser,
  }) => {
    const context = await browser.newContext(display === 'dialog' ? { viewport: { width: 320, height: 640 } } : {});
    const page = await context.newPage();
    const never = new NeverList(page);
    const visitorName = `Kim Keyboard ${display}`;
    await startChat(page, visitorName);
    const conversationId = await findConversation(page.request, visitorName);
    await sendInvitation(page.request, conversationId);

    const open = page.getByRole('button', { name: 'Open secure form' });
    await expect(open).toBeVisible();
    // From the message box the visitor was left in, Tab (wrapping round the page) to the invitation.
    await expect(page.getByRole('textbox', { name: 'Message' })).toBeFocused();
    await tabUntil(page, 'BUTTON:Open secure form');
    await page.keyboard.press(display === 'inline' ? 'Enter' : 'Space');

    const frame = page.frameLocator('iframe[title^="Secure form"]');
    const card = frame.getByLabel('Card number');
    await expect(card).toBeVisible();
    // Focus moved into the form's frame: the next Tab lands on the first field.
    await expect.poll(() => deepFocus(page)).toBe('IFRAME:');
    await fillCardFormByKeyboard(page, frame);
    await page.keyboard.press('Tab');
    await expect(frame.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Shift+Tab');
    await expect(frame.getByRole('button', { name: 'Continue' })).toBeFocused();
    await never.expectClean(TEST_CARDS.visa.digits, 'with the form filled in');
    await page.keyboard.press('Enter');

    // Review: the heading takes focus; Tab past the five Change links to Send securely.
    await expect(frame.getByRole('heading', { name: 'Check your answers before sending' })).toBeFocused();
    await expect(frame.getByText('411111••••••1111')).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(frame.getByRole('link', { name: 'Change Card number' })).toBeFocused();
    for (let i = 0; i < 5; i++) await page.keyboard.press('Tab');
    await expect(frame.getByRole('button', { name: 'Send securely' })).toBeFocused();
    await page.keyboard.press('Space');

    // The frame closes and focus returns to the invitation's status, which says it was sent.
    const status = page.locator('secure-form-invite').getByText('Sent securely');
    await expect(status).toBeVisible();
    await expect(status).toBeFocused();
    await expect(page.locator('iframe[title^="Secure form"]')).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Open secure form' })).toHaveCount(0);
    await never.expectClean(TEST_CARDS.visa.digits, 'after sending');
    await context.close();
  });
}

for (const display of ['inline', 'dialog'] as const) {
  test(`after a pointer opens the form, the first Tab lands on its first field (${display === 'inline' ? 'wide screen, inline' : '320 px, modal dialog'})`, async ({
    browser,
  }) => {
    const context = await browser.newContext(display === 'dialog' ? { viewport: { width: 320, height: 640 } } : {});
    const page = await context.newPage();
    const visitorName = `Pat Pointer ${display}`;
    await startChat(page, visitorName);
    await sendInvitation(page.request, await findConversation(page.request, visitorName));
    await page.getByRole('button', { name: 'Open secure form' }).click();
    const card = page.frameLocator('iframe[title^="Secure form"]').getByLabel('Card number');
    await expect(card).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(card).toBeFocused();
    // A visible focus indicator at once (the theme's 3 px :focus-visible outline).
    await expect(card).toHaveCSS('outline-style', 'solid');
    await context.close();
  });
}

test('on the 320 px dialog, Shift+Tab out of the form reaches Close, which returns focus to "Open secure form"', async ({ browser }) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await startChat(page, 'Esme Escape');
  await sendInvitation(page.request, await findConversation(page.request, 'Esme Escape'));
  const open = page.getByRole('button', { name: 'Open secure form' });
  await expect(open).toBeVisible();
  await tabUntil(page, 'BUTTON:Open secure form');
  await page.keyboard.press('Enter');
  const frame = page.frameLocator('iframe[title^="Secure form"]');
  await expect(frame.getByLabel('Card number')).toBeVisible();
  const dialog = page.getByRole('dialog', { name: 'Payment card' });
  await expect(dialog).toBeVisible();
  await expect.poll(() => deepFocus(page)).toBe('IFRAME:');
  await page.keyboard.press('Tab');
  await expect(frame.getByLabel('Card number')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(dialog.getByRole('button', { name: 'Close' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog).toBeHidden();
  await expect(open).toBeFocused();
  await context.close();
});

test('on the 320 px dialog, Escape inside the form asks before deleting typed answers, then closes the dialog and returns focus to "Open secure form"', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await startChat(page, 'Esme Escape-key');
  await sendInvitation(page.request, await findConversation(page.request, 'Esme Escape-key'));
  const open = page.getByRole('button', { name: 'Open secure form' });
  await tabUntil(page, 'BUTTON:Open secure form');
  await page.keyboard.press('Enter');
  const frame = page.frameLocator('iframe[title^="Secure form"]');
  const dialog = page.getByRole('dialog', { name: 'Payment card' });
  const card = frame.getByLabel('Card number');
  await expect(card).toBeVisible();
  await expect(dialog).toBeVisible();
  await expect.poll(() => deepFocus(page)).toBe('IFRAME:');
  await page.keyboard.press('Tab');
  await expect(card).toBeFocused();
  await page.keyboard.type(TEST_CARDS.visa.digits);
  // The key lands in the cross-origin frame, not on the host's <dialog>. With an answer typed, the
  // frame asks first; Escape again (or "Keep filling in") keeps the answer.
  await page.keyboard.press('Escape');
  const confirm = frame.getByRole('alertdialog', { name: 'Close this form?' });
  await expect(confirm).toBeVisible();
  await expect(frame.getByRole('button', { name: 'Keep filling in' })).toBeFocused();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(confirm).toBeHidden();
  await expect(card).toBeFocused();
  await expect(card).toHaveValue(TEST_CARDS.visa.number);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(frame.getByRole('button', { name: 'Close and delete my answers' })).toBeFocused();
  // Down, then up once the dialog is gone: a press would send its key-up to the removed frame.
  await page.keyboard.down('Enter');
  await expect(dialog).toBeHidden();
  await page.keyboard.up('Enter');
  await expect(page.locator('iframe[title^="Secure form"]')).toHaveCount(0);
  await expect(open).toBeFocused();
  await context.close();
});

test('on the 320 px dialog, the Close button asks before deleting typed answers: "Keep filling in" keeps them, "Close and delete my answers" closes and returns focus to "Open secure form"', async ({
  browser,
}) => {
  const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await context.newPage();
  await startChat(page, 'Cole Close-button');
  await sendInvitation(page.request, await findConversation(page.request, 'Cole Close-button'));
  const open = page.getByRole('button', { name: 'Open secure form' });
  await open.click();
  const frame = page.frameLocator('iframe[title^="Secure form"]');
  const dialog = page.getByRole('dialog', { name: 'Payment card' });
  const card = frame.getByLabel('Card number');
  await expect(card).toBeVisible();
  await card.click();
  await page.keyboard.type(TEST_CARDS.visa.digits);
  await expect(card).toHaveValue(TEST_CARDS.visa.number);

  // The host cannot see the answer (the frame is cross-origin): Close asks the frame, which asks the visitor.
  const close = dialog.getByRole('button', { name: 'Close' });
  await close.click();
  const confirm = frame.getByRole('alertdialog', { name: 'Close this form?' });
  await expect(confirm).toBeVisible();
  await expect(dialog).toBeVisible();
  // Focus moved from the host's Close into the frame: the keyboard reaches "Keep filling in".
  await expect(frame.getByRole('button', { name: 'Keep filling in' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  // The field lost focus when the visitor pressed the host's Close, so focus goes on where they
  // left off: the first required field still empty.
  await expect(frame.getByLabel('Expiry date')).toBeFocused();
  await expect(card).toHaveValue(TEST_CARDS.visa.number);
  // Past the host's wait for an answer, the dialog is still open.
  await page.waitForTimeout(2500);
  await expect(dialog).toBeVisible();
  await expect(card).toHaveValue(TEST_CARDS.visa.number);

  await close.click();
  await expect(confirm).toBeVisible();
  await frame.getByRole('button', { name: 'Close and delete my answers' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator('iframe[title^="Secure form"]')).toHaveCount(0);
  await expect(open).toBeFocused();
  await context.close();
});

for (const display of ['inline', 'dialog'] as const) {
  test(`with the PCI site's warm-up page loaded, after a pointer opens the form the first Tab and typed digits land in its first field (${display === 'inline' ? 'wide screen, inline' : '320 px, modal dialog'})`, async ({
    browser,
  }) => {
    const context = await browser.newContext(display === 'dialog' ? { viewport: { width: 320, height: 640 } } : {});
    const page = await context.newPage();
    const visitorName = `Wes Warm ${display}`;
    await startChat(page, visitorName);
    await sendInvitation(page.request, await findConversation(page.request, visitorName));
    const open = page.getByRole('button', { name: 'Open secure form' });
    await expect(open).toBeVisible();
    // The hidden warm-up page of the PCI site has loaded before the click.
    const warm = page.locator('body > iframe[src*="/frame/warm?"]');
    await expect(warm).toHaveCount(1);
    await expect.poll(() => page.frames().some((f) => framePath(f) === '/frame/warm')).toBe(true);
    await open.click();
    const frame = page.frameLocator('iframe[title^="Secure form"]');
    const card = frame.getByLabel('Card number');
    await expect(card).toBeVisible();
    // The warm-up page goes once the form's frame has loaded, and the form's frame has the focus.
    await expect(warm).toHaveCount(0);
    const formFrame = page.frames().find((f) => framePath(f) === '/frame/')!;
    await expect.poll(() => formFrame.evaluate(() => document.hasFocus())).toBe(true);
    await page.keyboard.press('Tab');
    await expect(card).toBeFocused();
    await page.keyboard.type('4111');
    await expect(card).toHaveValue(/^4111/);
    await context.close();
  });
}
