/**
 * Scripted checks that focus and announcements reach people who cannot see
 * the change: the error summary (role=alert in the frame) takes focus after an empty Continue,
 * the invitation's state is a live region, and the frame's time warning and "more time added"
 * go into live regions that exist before their text arrives (never-list row 5, docs/never-list.md).
 */
import { expect, test } from '@playwright/test';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { fillAndReview } from './support.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { apiInvitation, openHostPage } from './widget-support.js';

test('the error summary takes focus after an empty Continue, and its links lead to the fields', async ({ page }) => {
  await openHostPage(page, await apiInvitation(page.request, 'Lena Live'));
  await page.getByRole('button', { name: 'Open secure form' }).click();
  const frame = page.frameLocator('secure-form-invite iframe');
  // The form changes size as it is filled (hints, the card brand): the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await frame.getByRole('button', { name: 'Continue' }).click();
  const summary = frame.getByRole('alert').filter({ hasText: 'There is a problem' });
  await expect(summary).toBeFocused();
  await expect(summary.getByRole('link')).toHaveCount(5);
  await expect(frame.getByLabel('Card number')).toHaveAttribute('aria-invalid', 'true');
  // The inline message is tied to its field.
  await expect(frame.getByLabel('Card number')).toHaveAccessibleDescription(/Error:/);
  await summary.getByRole('link', { name: /security code/i }).click();
  await expect(frame.getByLabel('Security code (CVV)')).toBeFocused();
});

test('the invitation announces its state in a live region, and "Sent securely" lands there', async ({ page }) => {
  await openHostPage(page, await apiInvitation(page.request, 'Stan Status'));
  const invite = page.locator('secure-form-invite');
  const status = invite.getByRole('status');
  await expect(status).toHaveCount(1);
  await expect(status).toContainText('Your agent asked you to fill in this form');
  await page.getByRole('button', { name: 'Open secure form' }).click();
  const frame = page.frameLocator('secure-form-invite iframe');
  await fillAndReview(frame);
  // The frame's "Sending…" status region is there, empty, before sending starts.
  const busy = frame.locator('[part~="busy"]');
  await expect(busy).toHaveAttribute('role', 'status');
  await expect(busy).toBeEmpty();
  await frame.getByRole('button', { name: 'Send securely' }).click();
  await expect(status).toHaveText('Sent securely');
  await expect(status).toBeFocused();
  // The invitation's own alert region stays empty: nothing went wrong.
  await expect(invite.getByRole('alert')).toBeEmpty();
});

test('the time warning and the added time go into live regions that were already there', async ({ page }) => {
  const invitation = await apiInvitation(page.request, 'Tara Timer');
  await page.clock.install();
  await openHostPage(page, invitation);
  await page.getByRole('button', { name: 'Open secure form' }).click();
  const frame = page.frameLocator('secure-form-invite iframe');
  await frame.getByLabel('Card number').fill(TEST_CARDS.visa.number);
  // Before the warning: an empty alert region and an empty status region are already in the page.
  const warning = frame.locator('[part~="time-alert"]');
  await expect(warning).toHaveAttribute('role', 'alert');
  await expect(warning).toBeEmpty();
  const announcement = frame.locator('[part~="status"]');
  await expect(announcement).toHaveAttribute('role', 'status');
  await expect(announcement).toBeEmpty();

  await page.clock.fastForward('29:20');
  await expect(warning).toHaveText(
    'You have less than a minute left to send this form. Do you need more time? Your answers stay as they are.',
  );
  // The seconds tick on screen, outside the alert, which keeps its text between steps.
  const seconds = frame.locator('[part~="time-warning"] strong');
  await expect(seconds).toHaveText(/You have \d+ seconds left to send this form/);
  const before = await seconds.textContent();
  await page.clock.runFor(2000);
  await expect(seconds).not.toHaveText(before!);
  await expect(warning).toHaveText(/less than a minute left/);
  await page.clock.runFor(20_000);
  await expect(warning).toHaveText(/less than 30 seconds left/);

  await frame.getByRole('button', { name: 'Give me more time' }).click();
  await expect(announcement).toContainText('More time added.');
  // The pressed button is gone: focus went to the first field still empty, not to the page.
  await expect(frame.getByLabel('Expiry date')).toBeFocused();
});
