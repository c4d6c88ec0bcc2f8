/**
 * Embedding: the invite works when the chat lives in an open shadow root, and when it lives in a
 * nested same-origin iframe of the brand page. Open, fill, send, "Sent securely"; and the host
 * page never holds the card number or an OTK — not in its DOM, console, storage or any request
 * URL (never-list row 1, docs/never-list.md).
 */
import { expect, test, type FrameLocator, type Page } from '@playwright/test';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { POSTCODE, CVV } from './support.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { NeverList, TEXT, apiInvitation, openHostPage, type Layout } from './widget-support.js';

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
    await frame.getByLabel('Expiry date').fill('12/34');
    await frame.getByLabel('Name on the card').fill('Ada Lovelace');
    await frame.getByLabel('Billing postcode').fill(POSTCODE);
    // American Express cards have a 4-digit security code.
    await frame.getByLabel('Security code (CVV)').fill(card === 'amex' ? '7373' : CVV);
    await never.expectClean(TEST_CARDS[card].digits, `${layout}, filled in`);
    // The form changes size as it is filled (hints, the card brand): the frame takes its new size first (see frameSettled).
    await frameSettled(frame);
    await frame.getByRole('button', { name: 'Continue' }).click();
    // The review is shorter than the form: the frame takes its new size first (see frameSettled).
    await frameSettled(frame);
    await frame.getByRole('button', { name: 'Send securely' }).click();
    const status = chat.locator('secure-form-invite').getByRole('status');
    await expect(status).toHaveText('Sent securely');
    await expect(status).toBeFocused();
    // The frame opened with the visitor's token: the submit key is the one key of the visitor's side.
    expect(never.otks.size, 'the submit OTK was seen on the wire').toBeGreaterThanOrEqual(1);
    await never.expectClean(TEST_CARDS[card].digits, `${layout}, sent`);
  });
}

test('the ES module loader fetches its locale chunk from the brand origin and speaks Spanish', async ({ page }) => {
  const never = new NeverList(page);
  const localeChunks: string[] = [];
  page.on('response', (r) => {
    if (r.url().includes('/secure-forms/locales/')) localeChunks.push(`${r.status()} ${new URL(r.url()).pathname}`);
  });
  await openHostPage(page, { ...(await apiInvitation(page.request, 'Elena Módulo')), layout: 'nested', lang: 'es', loader: 'module' });
  const chat = page.frameLocator('iframe[title="Chat window"]');
  const open = chat.getByRole('button', { name: TEXT.es.open });
  await expect(open).toBeVisible();
  // The Spanish chunk (and the small helper it shares with the other locales), nothing else.
  expect(localeChunks).toContainEqual(expect.stringMatching(/^200 \/secure-forms\/locales\/es-[\w-]+\.js$/));
  expect(
    localeChunks.every((line) => line.startsWith('200 ') && !/\/(ar|de|fr)-/.test(line)),
    localeChunks.join(', '),
  ).toBe(true);
  await open.click();
  // The frame speaks Spanish too, and so does the demo form's own text (sites.json translates it).
  const frame = chat.frameLocator('iframe[title^="Formulario seguro"]');
  await expect(frame.getByLabel('Número de tarjeta')).toBeVisible();
  await expect(frame.getByRole('button', { name: TEXT.es.continue })).toBeVisible();
  await never.expectClean(TEST_CARDS.visa.digits, 'ES module loader, open');
});
