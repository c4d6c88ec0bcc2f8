/**
 * Focus belongs to the visitor: the invitation moves focus into the form when it opens, but once
 * the visitor has put focus somewhere else on the page, the form's page arriving later does not
 * take it back. Across both origins, because only a cross-origin frame shows the difference
 * between focusing the iframe element and focusing its window.
 */
import { expect, test } from '@playwright/test';
import { startChat } from './support.js';
import { findConversation, sendInvitation } from './widget-support.js';

test('a form page that arrives after the visitor moved focus back to the chat does not take the focus', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const visitorName = 'Fran Focus';
  await startChat(page, visitorName);
  await sendInvitation(page.request, await findConversation(page.request, visitorName));

  // Hold the frame's page back until the visitor has clicked into the message box.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(/\/frame\/(\?|$)/, async (route) => {
    await held;
    await route.continue();
  });

  await page.getByRole('button', { name: 'Open secure form' }).click();
  const message = page.getByRole('textbox', { name: 'Message' });
  await message.click();
  await expect(message).toBeFocused();
  release();

  const card = page.frameLocator('iframe[title^="Secure form"]').getByLabel('Card number');
  await expect(card).toBeVisible();
  // The frame's `ready` has been handled once the form shows; typing still goes to the chat.
  await page.keyboard.type('hello');
  await expect(message).toHaveValue('hello');
  await expect(card).toHaveValue('');
  await context.close();
});
