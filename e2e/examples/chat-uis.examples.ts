/**
 * The examples end to end: in each chat UI (the brand's own plain page, deep-chat in its shadow
 * root, chatscope's React kit), the agent sends a secure form from the panel in the brand's
 * workspace (signed in by a workspace token, no sign-in form), the visitor opens and fills it in
 * the chat, the chat server relays the webhooks' status lines, and the agent reveals the answers.
 * All under the pages' strict CSP: a violation fails the test.
 */
import { expect, test } from '@playwright/test';
import { snapshotDom } from '../../fixtures/brand-dom.js';
import { CARD, CVV, POSTCODE, fillAndSend, secureFrame } from '../support.js';
import { axeViolations, CHAT_UIS, visitorAndAgent } from './support.js';

for (const ui of CHAT_UIS) {
  test(`in ${ui.name}, a secure form goes from the agent panel to the visitor and its answers are revealed`, async ({ browser }) => {
    const visitorName = `Vera ${ui.path.slice(1) || 'plain'} ${test.info().repeatEachIndex + 1}`;
    const violations: string[] = [];
    const { visitor, agent, close } = await visitorAndAgent(browser, violations);

    await visitor.goto(ui.path);
    await visitor.getByLabel('Your name').fill(visitorName);
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    await expect(visitor.getByRole('status').filter({ hasText: 'Connected.' })).toBeVisible();

    // The brand's workspace signs the agent in to Secure Forms by itself.
    await agent.goto('/agent');
    await expect(agent.getByText('Signed in to Secure Forms as Alice Agent.')).toBeVisible();
    await expect(agent.getByLabel('Password')).toHaveCount(0);
    await agent.getByRole('button', { name: `Open conversation with ${visitorName}` }).click();
    await expect(agent.getByRole('heading', { name: `Conversation with ${visitorName}` })).toBeVisible();
    const panel = agent.locator('secure-form-panel');
    await panel.getByRole('button', { name: 'Send secure form' }).click();

    // The invitation, inside the chat UI's message.
    await visitor.getByRole('button', { name: 'Open secure form' }).click();
    const frame = secureFrame(visitor);
    await expect(frame.getByLabel('Card number')).toBeVisible();
    await fillAndSend(frame);
    // The invite's own status (the webhook's status line, below, also says "sent securely").
    await expect(visitor.getByText('Sent securely', { exact: true })).toBeVisible();
    // The chat server verified the webhooks and relayed their status lines into the chat.
    await expect(visitor.getByText('The answers were sent securely.')).toBeVisible({ timeout: 20_000 });

    await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
    await panel.getByRole('button', { name: 'Reveal Card number' }).click();
    await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toBeVisible();
    await panel.getByRole('button', { name: 'Reveal Billing postcode' }).click();
    await expect(panel.getByText(POSTCODE)).toBeVisible();
    await panel.getByRole('button', { name: /Reveal Security code/ }).click();
    await expect(panel.getByText(CVV, { exact: true })).toBeVisible();
    await expect(agent.getByText('The agent has read the answers.')).toBeVisible({ timeout: 20_000 });

    // The chat page never held a value: not in its DOM, any shadow root (deep-chat's, chatscope's none), any field or its storage.
    const html = await visitor.evaluate(snapshotDom);
    expect(html).not.toContain(CARD.digits);
    expect(violations).toEqual([]);
    expect(await axeViolations(visitor), `axe on ${ui.path}`).toEqual([]);
    expect(await axeViolations(agent), 'axe on /agent').toEqual([]);
    await close();
  });
}

test('the chat server drops a webhook whose signature does not verify', async ({ request }) => {
  const body = JSON.stringify({ id: crypto.randomUUID(), type: 'invitation.submitted' });
  const unsigned = await request.post('/webhooks', { data: body, headers: { 'Content-Type': 'application/json' } });
  expect(unsigned.status()).toBe(401);
  const forged = await request.post('/webhooks', {
    data: body,
    headers: { 'Content-Type': 'application/json', 'Secure-Forms-Signature': `t=${Math.floor(Date.now() / 1000)},v1=${'0'.repeat(64)}` },
  });
  expect(forged.status()).toBe(401);
});

test('the workspace backend mints a workspace token for its own pages only', async ({ request }) => {
  const crossSite = await request.post('/api/agent/workspace-token', { headers: { 'Sec-Fetch-Site': 'cross-site' } });
  expect(crossSite.status()).toBe(403);
  expect(await crossSite.text()).not.toMatch(/eyJ/);
});

test('only the pages that run a chat library needing it allow a Trusted Types default policy', async ({ request }) => {
  const trustedTypes = async (path: string) =>
    /trusted-types ([^;]*)/.exec((await request.get(path)).headers()['content-security-policy'] ?? '')?.[1];
  expect(await trustedTypes('/')).toBe('lit-html');
  expect(await trustedTypes('/agent')).toBe('lit-html');
  expect(await trustedTypes('/deep-chat')).toBe('lit-html default dompurify');
  expect(await trustedTypes('/chatscope')).toBe('lit-html default dompurify');
});
