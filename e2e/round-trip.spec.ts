import { expect, test, type Page } from '@playwright/test';
import { CARD, CVV, POSTCODE, conversation, fillAndSend, openInvitation, recordOtkUses, sendPaymentForm, type OtkUse } from './support.js';

test('a secure form goes from agent to visitor and back, and only the sending agent reads it', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Vera Round-Trip');
  const otkUses: OtkUse[] = [];
  recordOtkUses(visitor, otkUses);
  recordOtkUses(agent, otkUses);

  await sendPaymentForm(agent);
  const frame = await openInvitation(visitor);
  await fillAndSend(frame);
  await expect(visitor.getByText('Sent securely')).toBeVisible();

  // The agent's panel is told, retrieves, decrypts and shows the answers masked.
  const panel = agent.locator('secure-form-panel');
  await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
  await expect(panel.getByText(CARD.digits)).toHaveCount(0);
  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toBeVisible();
  await panel.getByRole('button', { name: 'Reveal Card number', pressed: true }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toHaveCount(0);
  await panel.getByRole('button', { name: 'Reveal Billing postcode' }).click();
  await expect(panel.getByText(POSTCODE)).toBeVisible();
  await panel.getByRole('button', { name: /Reveal Security code/ }).click();
  await expect(panel.getByText(CVV, { exact: true })).toBeVisible();

  // The brand page never saw a value: not in its DOM, its storage or any URL it loaded.
  const hostHtml = await visitor.evaluate(() => document.documentElement.outerHTML);
  expect(hostHtml).not.toContain(CARD.digits);
  expect(hostHtml).not.toContain(CARD.number);
  expect(hostHtml).not.toContain(POSTCODE);
  for (const page of [visitor, agent]) {
    const storage = await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
    expect(storage).toBe('{}{}');
  }
  // Two actions, two different one-time keys, each only in the Authorization header (the frame
  // opened the form with the visitor's token: no view key was made).
  const actions = otkUses.map((u) => new URL(u.url).pathname.replace(/[0-9a-f-]{36}/, ':id'));
  expect(actions).toEqual(['/v1/submissions', '/v1/submissions/:id/retrieve']);
  const keys = otkUses.map((u) => u.headers['authorization']!.slice(4));
  expect(new Set(keys).size).toBe(2);
  for (const key of keys) for (const use of otkUses) expect(use.url).not.toContain(key);
  await close();
});

test('another agent watching the conversation cannot read the answers', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Walt Watched');
  const otkUses: OtkUse[] = [];
  recordOtkUses(agent, otkUses);
  await sendPaymentForm(agent);
  await fillAndSend(await openInvitation(visitor));
  await expect(agent.locator('secure-form-panel').getByText(CARD.panelMasked)).toBeVisible();

  // Bob signs in and replays Alice's retrieve request with his own session: refused as not the sender.
  const retrieve = otkUses.find((u) => u.url.endsWith('/retrieve'))!;
  const bob = await agent.request.post(`${new URL(retrieve.url).origin}/v1/sessions`, {
    data: { siteId: 'demo', username: 'bob', password: process.env.E2E_DEMO_PASSWORD },
  });
  expect(bob.status()).toBe(201);
  const { token } = await bob.json();
  const fresh = await agent.request.post(retrieve.url.replace('/retrieve', '/retrieve-otk'), {
    headers: { 'Secure-Forms-Session': token },
  });
  expect(fresh.status()).toBe(403);
  expect((await fresh.json()).error.code).toBe('NOT_SENDER');
  await close();
});

/** The agent writes a chat line; once the visitor's page shows it, the open form's frame is where it was. */
async function expectFormStillAsAgentWrites(visitor: Page, agent: Page): Promise<void> {
  const iframe = visitor.locator('iframe[title^="Secure form"]');
  const before = await iframe.boundingBox();
  await agent.getByRole('textbox', { name: 'Message' }).fill('Take your time.');
  await agent.getByRole('textbox', { name: 'Message' }).press('Enter');
  await expect(visitor.getByText('Take your time.')).toBeAttached();
  expect(await iframe.boundingBox()).toEqual(before);
}

test('the transcript stays still while the visitor is in the form, as new chat lines arrive', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Stella Still');
  await sendPaymentForm(agent);
  const frame = await openInvitation(visitor);
  await frame.getByLabel('Card number').click();
  // The form did not move under the visitor's pointer or caret.
  await expectFormStillAsAgentWrites(visitor, agent);
  await expect(frame.getByLabel('Card number')).toBeFocused();
  await close();
});

test('the transcript stays still while a secure form is open in it, with focus elsewhere on the page', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Otto Open');
  await sendPaymentForm(agent);
  await openInvitation(visitor);
  // Focus leaves the form, which stays open (inline): the chat must not move it all the same.
  await visitor.getByRole('heading', { level: 1 }).click();
  await expect.poll(() => visitor.evaluate(() => document.activeElement === document.body)).toBe(true);
  await expectFormStillAsAgentWrites(visitor, agent);
  await close();
});
