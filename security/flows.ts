/**
 * What a visitor and an agent do in the demo pages, found by role and accessible name, keeping
 * the credentials the pages received (the visitor's conversation token, the agent's session) so
 * the suite can follow the same event streams and read the same transcript the pages do.
 */
import { expect, type FrameLocator, type Page, type Response } from '@playwright/test';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { BRAND, PASSWORD } from './env.js';
import { freshTotp } from './api.js';

async function jsonOf(response: Response): Promise<Record<string, unknown>> {
  return (await response.json()) as Record<string, unknown>;
}

export async function startChat(page: Page, visitorName: string): Promise<{ conversationId: string; token: string }> {
  await page.goto(`${BRAND}/`);
  await page.getByLabel('Your name').fill(visitorName);
  const started = page.waitForResponse((r) => r.url().endsWith('/v1/conversations') && r.request().method() === 'POST');
  await page.getByRole('button', { name: 'Start chat' }).click();
  const body = await jsonOf(await started);
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
  return { conversationId: String(body.conversationId), token: String(body.conversationToken) };
}

/** Sign in to the agent workspace; managers and admins answer the second factor. Returns the session. */
export async function signIn(
  page: Page,
  username: string,
  displayName: string,
  options: { totp?: boolean } = {},
): Promise<{ token: string; operatorId: string }> {
  await page.goto(`${BRAND}/agent`);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  const session = page.waitForResponse((r) => /\/v1\/sessions(\/second-factor)?$/.test(r.url()) && r.status() === 201);
  // Signed in means the workspace follows its events and has loaded its queue.
  const queue = page.waitForResponse((r) => /\/v1\/conversations(\?|$)/.test(r.url()) && r.request().method() === 'GET');
  await page.getByRole('button', { name: 'Sign in' }).click();
  if (options.totp) {
    await page.getByLabel('Authentication code').fill(await freshTotp(username));
    await page.getByRole('button', { name: 'Verify' }).click();
  }
  const body = await jsonOf(await session);
  await expect(page.getByText(`Signed in as ${displayName}`, { exact: true })).toBeVisible();
  await queue;
  return { token: String(body.token), operatorId: String((body.operator as { id: string }).id) };
}

export async function take(page: Page, visitorName: string): Promise<void> {
  await page.getByRole('button', { name: `Take conversation with ${visitorName}` }).click();
  await expect(page.getByRole('heading', { name: `Conversation with ${visitorName}` })).toBeVisible();
}

/** Pick a form in the panel (by its title) and send it. */
export async function sendForm(agent: Page, formTitle = 'Payment card'): Promise<void> {
  const panel = agent.locator('secure-form-panel');
  const picker = panel.getByLabel('Form', { exact: true });
  await picker.selectOption({ label: formTitle });
  await expect(picker).toHaveValue(/.+/);
  await panel.getByRole('button', { name: 'Send secure form' }).click();
}

export function secureFrame(visitor: Page): FrameLocator {
  return visitor.frameLocator('iframe[title^="Secure form"]');
}

/** Open the newest invitation in the chat, and wait for its first field. */
export async function openForm(visitor: Page, firstField: string): Promise<FrameLocator> {
  await visitor.getByRole('button', { name: 'Open secure form' }).last().click();
  const frame = secureFrame(visitor);
  await expect(frame.getByLabel(firstField)).toBeVisible();
  return frame;
}

export async function review(frame: FrameLocator): Promise<void> {
  // The form changes size as it is filled (hints, the card brand): the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(frame.getByRole('button', { name: 'Send securely' })).toBeVisible();
}

export async function send(frame: FrameLocator): Promise<void> {
  // The review is shorter than the form: the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await frame.getByRole('button', { name: 'Send securely' }).click();
}
