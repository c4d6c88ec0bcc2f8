/**
 * Issue #4, test 4 (with the never-list, test 5): the invite works when the chat lives in an open
 * shadow root, and when it lives in a nested same-origin iframe of the brand page. Open, fill,
 * send, "Sent securely"; and the host page never holds the card number or an OTK — not in its
 * DOM, console, storage or any request URL.
 */
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { POSTCODE, CVV } from './support.js';
import { NeverList, TEST_CARDS, apiInvitation, openHostPage, type Layout } from './widget-support.js';

const CASES: { layout: Layout; card: keyof typeof TEST_CARDS; chat: (page: Page) => Page | FrameLocator }[] = [
  { layout: 'shadow', card: 'visa', chat: (page) => page },
  { layout: 'nested', card: 'amex', chat: (page) => page.frameLocator('iframe[title="Chat window"]') },
];

for (const { layout, card, chat: chatOf } of CASES) {
  test(`the invite works inside ${layout === 'shadow' ? 'an open shadow root' : 'a nested brand-origin iframe'}`, async ({ page }) => {
    const never = new NeverList(page);
    await openHostPage(page, { ...(await apiInvitation(page.request, `Emil ${layout}`)), layout });
    const chat = chatOf(page);
    if (layout === 'shadow') {
      expect(await page.evaluate(() => !!document.getElementById('chat-host')?.shadowRoot?.querySelector('secure-form-invite'))).toBe(true);
    }
    await chat.getByRole('button', { name: 'Open secure form' }).click();
    const frame = chat.frameLocator('iframe[title^="Secure form"]');
    await frame.getByLabel('Card number').fill(TEST_CARDS[card].number);
    await frame.getByLabel('Billing postcode').fill(POSTCODE);
    // American Express cards have a 4-digit security code.
    await frame.getByLabel('Security code (CVV)').fill(card === 'amex' ? '7373' : CVV);
    await never.expectClean(TEST_CARDS[card].digits, `${layout}, filled in`);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByRole('button', { name: 'Send securely' }).click();
    const status = chat.locator('secure-form-invite').getByRole('status');
    await expect(status).toHaveText('Sent securely');
    await expect(status).toBeFocused();
    expect(never.otks.size, 'the view and submit OTKs were seen on the wire').toBeGreaterThanOrEqual(2);
    await never.expectClean(TEST_CARDS[card].digits, `${layout}, sent`);
  });
}
