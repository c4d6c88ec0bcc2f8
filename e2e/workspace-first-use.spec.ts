import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type Route } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_TOTP, PCI_ORIGIN, signInAndTake, startChat } from './support.js';

/** Hold every request matching `pattern` until the returned function is called. */
async function hold(page: Page, pattern: RegExp): Promise<() => void> {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(pattern, async (route: Route) => {
    await gate;
    await route.continue();
  });
  return release;
}

test('"Sign in" and "Start chat" are disabled until the page script runs, never a silent press', async ({ page }) => {
  // A module script delays DOMContentLoaded: wait for the response only, then for the markup.
  let release = await hold(page, /\/assets\/.*\.js$/);
  await page.goto('/agent', { waitUntil: 'commit' });
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeDisabled();
  release();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  await page.unrouteAll();

  release = await hold(page, /\/assets\/.*\.js$/);
  await page.goto('/', { waitUntil: 'commit' });
  await expect(page.getByRole('button', { name: 'Start chat' })).toBeDisabled();
  release();
  await expect(page.getByRole('button', { name: 'Start chat' })).toBeEnabled();
});

test('a press of "Sign in" while the page still loads says so and signs in; focus goes to the queue', async ({ page }) => {
  const release = await hold(page, /\/demo-config\.json$/);
  await page.goto('/agent', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Username').fill('alice');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('status')).toHaveText('Signing in…');
  release();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
});

test('a press of "Start chat" while the page still loads connects', async ({ page }) => {
  const release = await hold(page, /\/demo-config\.json$/);
  await page.goto('/', { waitUntil: 'domcontentloaded' });
  await page.getByLabel('Your name').fill('Early Ellie');
  await page.getByRole('button', { name: 'Start chat' }).click();
  await expect(page.getByText('Connecting…')).toBeVisible();
  release();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
});

test('a manager: a wrong code and a reused code are each named as such, and a closed conversation shows as closed', async ({
  page,
  request,
}) => {
  // A closed conversation in the queue.
  const started = await request.post(`${PCI_ORIGIN}/v1/conversations`, { data: { siteId: 'demo', visitorName: 'Cleo Closed' } });
  const { conversationId, conversationToken } = await started.json();
  const closed = await request.post(`${PCI_ORIGIN}/v1/conversations/${conversationId}/close`, {
    headers: { 'Secure-Forms-Conversation': conversationToken },
  });
  expect(closed.status()).toBe(200);

  const password = async () => {
    await page.getByLabel('Username').fill('morgan');
    await page.getByLabel('Password').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
  };
  const wrongCode = 'That code is not right. Enter the code your authenticator app shows now.';
  const reusedCode = 'That code was already used. Wait for the next code in your authenticator app, then enter it.';
  await page.goto('/agent');
  await password();
  const wrong = String((Number(DEMO_TOTP.generate()) + 1) % 1_000_000).padStart(6, '0');
  await page.getByLabel('Authentication code').fill(wrong);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'code' })).toHaveText(wrongCode);

  // The next step's code (within the one step of drift the server allows): later than any code
  // an earlier test used, so it is not a replay.
  const code = DEMO_TOTP.generate({ timestamp: Date.now() + 30_000 });
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByText('Signed in as Morgan Manager', { exact: true })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Conversations' })).toBeFocused();
  // The queue ranks closed conversations last, fifty to a page: after the rest of the suite's
  // conversations Cleo's may be on a later page, which a manager reaches with "Show older conversations".
  const row = page.getByRole('listitem').filter({ hasText: 'Cleo Closed' });
  const older = page.getByRole('button', { name: 'Show older conversations' });
  await expect(row.or(older).first()).toBeVisible();
  const rows = page.getByRole('listitem');
  while ((await row.count()) === 0 && (await older.count()) > 0) {
    const shown = await rows.count();
    await older.click();
    await expect.poll(() => rows.count()).toBeGreaterThan(shown);
  }
  await expect(row).toContainText('Closed');
  await expect(row).not.toContainText('Assigned to another agent');

  // The same code again: refused as reused, not as a wrong password.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await password();
  await page.getByLabel('Authentication code').fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'code' })).toHaveText(reusedCode);
  await expect(page.getByText(/username or password/)).toHaveCount(0);
});

test('after a transfer the message box goes, the status says why, and focus stays in the conversation', async ({ browser }) => {
  const visitor = await (await browser.newContext()).newPage();
  const agent = await (await browser.newContext()).newPage();
  await startChat(visitor, 'Trudy Transfer');
  await signInAndTake(agent, 'alice', 'Trudy Transfer');
  const message = agent.getByRole('textbox', { name: 'Message' });
  await expect(message).toBeFocused();
  const conversationId = await agent.locator('secure-form-panel').getAttribute('conversation-id');
  const login = async (username: string) =>
    (await (
      await agent.request.post(`${PCI_ORIGIN}/v1/sessions`, { data: { siteId: 'demo', username, password: DEMO_PASSWORD } })
    ).json()) as {
      token: string;
      operator: { id: string };
    };
  const bob = await login('bob');
  const alice = await login('alice');
  const transfer = await agent.request.post(`${PCI_ORIGIN}/v1/conversations/${conversationId}/transfer`, {
    headers: { 'Secure-Forms-Session': alice.token },
    data: { agentId: bob.operator.id },
  });
  expect(transfer.status()).toBe(200);
  await expect(message).toBeHidden();
  await expect(agent.getByRole('status').filter({ hasText: 'transferred' })).toHaveText(
    'This conversation was transferred to another agent.',
  );
  await expect(agent.getByRole('heading', { name: 'Conversation with Trudy Transfer' })).toBeFocused();
  await expect(agent.getByRole('listitem').filter({ hasText: 'Trudy Transfer' })).toContainText('Assigned to another agent');
});

test('an admin sees the operators, and re-enables a locked one with the keyboard; axe finds nothing', async ({ page, request }) => {
  // Bob locks himself out (the site's threshold is 3).
  for (let i = 0; i < 3; i++) {
    await request.post(`${PCI_ORIGIN}/v1/sessions`, { data: { siteId: 'demo', username: 'bob', password: `wrong-${i}-password` } });
  }
  await page.goto('/agent');
  await page.getByLabel('Username').fill('ada');
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Authentication code').fill(DEMO_TOTP.generate({ timestamp: Date.now() + 30_000 }));
  await page.getByRole('button', { name: 'Verify' }).click();
  const table = page.getByRole('table');
  await expect(page.getByRole('heading', { name: 'Operators' })).toBeVisible();
  await expect(table.getByRole('row', { name: /Bob Agent/ })).toContainText('Locked');
  await expect(table.getByRole('row', { name: /Alice Agent/ })).toContainText('Active');
  const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  expect(axe.violations.map((v) => v.id)).toEqual([]);

  const enable = page.getByRole('button', { name: 'Re-enable Bob Agent' });
  await enable.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toHaveText('Bob Agent can sign in again.');
  await expect(table.getByRole('row', { name: /Bob Agent/ })).toContainText('Active');
  await expect(page.getByRole('heading', { name: 'Operators' })).toBeFocused();
  const bob = await request.post(`${PCI_ORIGIN}/v1/sessions`, { data: { siteId: 'demo', username: 'bob', password: DEMO_PASSWORD } });
  expect(bob.status()).toBe(201);
});

test('an agent transfers a conversation from the workspace; the message box and the control go, focus stays', async ({ browser }) => {
  const visitor = await (await browser.newContext()).newPage();
  const agent = await (await browser.newContext()).newPage();
  await startChat(visitor, 'Tom Transfer');
  await signInAndTake(agent, 'alice', 'Tom Transfer');
  await expect(agent.getByRole('combobox', { name: 'Transfer to' })).toHaveValue(/.+/);
  await expect(agent.getByRole('combobox', { name: 'Transfer to' }).getByRole('option')).toHaveText(['Bob Agent']);
  await agent.getByRole('button', { name: 'Transfer conversation' }).click();
  await expect(agent.getByRole('textbox', { name: 'Message' })).toBeHidden();
  await expect(agent.getByRole('button', { name: 'Transfer conversation' })).toBeHidden();
  await expect(agent.getByRole('heading', { name: 'Conversation with Tom Transfer' })).toBeFocused();
  await expect(agent.getByRole('listitem').filter({ hasText: 'Tom Transfer' })).toContainText('Assigned to another agent');
  await expect(visitor.getByText('Bob Agent took over the chat.')).toBeVisible();
});
