import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { CARD, conversation, fillAndSend, openInvitation, sendPaymentForm } from './support.js';

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

// Never-list row 5 (docs/never-list.md): axe finds no WCAG 2.0, 2.1 or 2.2 A or AA violation at any
// step of the round trip, on the visitor's side and the agent's.

/** Scan the whole page, frames included (axe follows the cross-origin form frame). */
async function expectNoViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const summary = results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, `axe violations on ${what}`).toEqual([]);
}

test('every step of the round trip has no axe violations at WCAG 2.2 A and AA', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Ada Accessible');
  await sendPaymentForm(agent);
  await expect(visitor.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  await expectNoViolations(visitor, 'the chat with the invitation');

  const frame = await openInvitation(visitor);
  await expectNoViolations(visitor, 'the open form');

  // The form changes size as it is filled (hints, the card brand): the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(frame.getByRole('alert')).toBeFocused();
  await expect(frame.getByRole('link', { name: /card number/i })).toBeVisible();
  await expectNoViolations(visitor, 'the form showing errors after an empty submit');

  await fillAndSend(frame);
  await expect(agent.locator('secure-form-panel').getByText(CARD.panelMasked)).toBeVisible();
  await expectNoViolations(agent, 'the panel showing the result');
  await close();
});
