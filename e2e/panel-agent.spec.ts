/**
 * <secure-form-panel> in the demo agent workspace: send → submit → reveal → copy, a
 * second agent watching and a transferred agent refused with the reason shown, hiding the panel,
 * sign-out and idle clearing every value from the DOM, and axe at WCAG 2.0/2.1/2.2 A and AA in
 * each state.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { snapshotDom } from '../fixtures/brand-dom.js';
import { CARD, DEMO_PASSWORD, PCI_ORIGIN, POSTCODE, fillAndSend, openInvitation, startChat } from './support.js';

const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto('/agent');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeHidden();
}

async function expectAxeClean(page: Page, state: string): Promise<void> {
  const result = await new AxeBuilder({ page }).include('secure-form-panel').withTags(WCAG).analyze();
  expect(result.violations.map((v) => `${state}: ${v.id} ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

/** The page's whole DOM: shadow roots, input values and storage too. */
const deepHtml = (page: Page): Promise<string> => page.evaluate(snapshotDom);

const anyValue = (text: string) => [CARD.digits, CARD.number, CARD.panelMasked, POSTCODE].some((value) => text.includes(value));

const noValues = (text: string) => {
  for (const value of [CARD.digits, CARD.number, CARD.panelMasked, POSTCODE]) expect(text).not.toContain(value);
};

interface Setup {
  visitor: Page;
  agent: Page;
  agentContext: BrowserContext;
  console: string[];
  close(): Promise<void>;
}

async function submitted(browser: Browser, visitorName: string): Promise<Setup> {
  const visitorContext = await browser.newContext();
  const agentContext = await browser.newContext();
  await agentContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: test.info().project.use.baseURL });
  const visitor = await visitorContext.newPage();
  const agent = await agentContext.newPage();
  const console: string[] = [];
  agent.on('console', (m) => console.push(m.text()));
  await startChat(visitor, visitorName);
  await signIn(agent, 'alice');
  await agent.getByRole('button', { name: `Take conversation with ${visitorName}` }).click();
  const panel = agent.locator('secure-form-panel');
  await expect(panel.getByRole('combobox', { name: 'Form' })).toBeVisible();
  await expectAxeClean(agent, 'catalog');
  await panel.getByRole('button', { name: 'Send secure form' }).click();
  await expect(panel.getByRole('list', { name: 'Status' })).toContainText('Sent');
  await expectAxeClean(agent, 'sent');
  await fillAndSend(await openInvitation(visitor));
  await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
  return {
    visitor,
    agent,
    agentContext,
    console,
    close: async () => {
      await visitorContext.close();
      await agentContext.close();
    },
  };
}

test('send → submit → reveal → copy, axe clean in every state', async ({ browser }) => {
  const { agent, console, close } = await submitted(browser, 'Paula Panel');
  const panel = agent.locator('secure-form-panel');
  await expect(panel.getByRole('status')).toContainText(/Answers ready|Secure form submitted/);
  await expectAxeClean(agent, 'answers masked');
  noValues((await deepHtml(agent)).replaceAll(CARD.panelMasked, ''));

  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toBeVisible();
  await expectAxeClean(agent, 'revealed');
  await panel.getByRole('button', { name: 'Reveal Card number', pressed: true }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toHaveCount(0);

  await panel.getByRole('button', { name: 'Copy Card number' }).click();
  await expect(panel.getByRole('status')).toHaveText('Copied; clipboard clears in 30 seconds');
  expect((await agent.evaluate(() => navigator.clipboard.readText())).replace(/ /g, '')).toBe(CARD.digits);
  await expectAxeClean(agent, 'copied');

  // Off the record: marked, with a visible countdown.
  await expect(panel.getByText('Off the record')).toBeVisible();
  await expect(panel.getByText(/deleted from this page in \d+:\d\d/)).toBeVisible();

  for (const line of console) noValues(line);
  const storage = await agent.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }));
  expect(storage).toBe('{}{}');
  await close();
});

test('signing out and going idle take every value out of the DOM', async ({ browser }) => {
  const { agent, close } = await submitted(browser, 'Ida Idle');
  const panel = agent.locator('secure-form-panel');
  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toBeVisible();

  // Idle: on a controllable clock (the shortest idle timeout the panel runs is a minute), keep still.
  await agent.clock.install();
  await agent.evaluate(() => {
    (document.querySelector('secure-form-panel') as HTMLElement & { idleTimeoutSeconds: number }).idleTimeoutSeconds = 60;
  });
  await agent.clock.fastForward(60_000);
  await expect(panel.getByText('Secure forms were cleared from this page because you were inactive.')).toBeVisible({ timeout: 5000 });
  noValues(await deepHtml(agent));
  await expectAxeClean(agent, 'idle');

  // Sign out: the panel leaves the page with everything it held.
  await agent.getByRole('button', { name: 'Sign out' }).click();
  await expect(agent.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(agent.locator('secure-form-panel')).toHaveCount(0);
  noValues(await deepHtml(agent));
  await close();
});

test('a second agent watching the conversation is refused, with the reason shown', async ({ browser }) => {
  const { agent, close } = await submitted(browser, 'Walt Watched');
  const conversationId = await agent.locator('secure-form-panel').getAttribute('conversation-id');
  expect(conversationId).toBeTruthy();

  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await signIn(bob, 'bob');
  const login = await bob.request.post(`${PCI_ORIGIN}/v1/sessions`, {
    data: { siteId: 'demo', username: 'bob', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(201);
  const { token } = (await login.json()) as { token: string };
  await bob.evaluate(
    ({ pciOrigin, cid, session }) => {
      const panel = document.createElement('secure-form-panel') as HTMLElement & { session: string };
      panel.setAttribute('pci-origin', pciOrigin);
      panel.setAttribute('conversation-id', cid);
      panel.session = session;
      document.querySelector('main')?.append(panel);
    },
    { pciOrigin: PCI_ORIGIN, cid: conversationId!, session: token },
  );
  const panel = bob.locator('secure-form-panel');
  await panel.getByRole('button', { name: 'Send secure form' }).click();
  const alert = panel.getByRole('alert');
  await expect(alert).toContainText('You are not assigned to this conversation.');
  await expect(alert).toContainText('Assign the conversation to yourself');
  noValues(await deepHtml(bob));
  await expectAxeClean(bob, 'refused');
  await bobContext.close();
  await close();
});

/** A session of `username` made through the API, beside the one in the workspace page. */
async function apiLogin(page: Page, username: string): Promise<{ token: string; operator: { id: string } }> {
  const login = await page.request.post(`${PCI_ORIGIN}/v1/sessions`, {
    data: { siteId: 'demo', username, password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(201);
  return (await login.json()) as { token: string; operator: { id: string } };
}

test('hiding the panel, or the section around it, takes every value out of the DOM', async ({ browser }) => {
  const { agent, close } = await submitted(browser, 'Hana Hidden');
  const panel = agent.locator('secure-form-panel');
  const revealed = new RegExp(CARD.number.replace(/ /g, ' ?'));
  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(revealed)).toBeVisible();

  // The host sets `hidden` on the panel.
  await panel.evaluate((el) => ((el as HTMLElement).hidden = true));
  await expect(panel).toBeHidden();
  noValues(await deepHtml(agent));
  await panel.evaluate((el) => ((el as HTMLElement).hidden = false));
  await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
  await expect(panel.getByText(revealed)).toHaveCount(0);
  await expectAxeClean(agent, 'shown again');

  // The host closes the conversation section that holds the panel.
  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(revealed)).toBeVisible();
  await agent.evaluate(() => ((document.getElementById('conversation') as HTMLElement).hidden = true));
  // The panel notices on the next frame that it is no longer rendered.
  await expect.poll(async () => anyValue(await deepHtml(agent))).toBe(false);
  noValues(await deepHtml(agent));
  await agent.evaluate(() => ((document.getElementById('conversation') as HTMLElement).hidden = false));
  await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
  await expect(panel.getByText(revealed)).toHaveCount(0);
  await close();
});

test('a transferred conversation: the sender and the new agent are both refused, with the reason shown', async ({ browser }) => {
  const { agent: alice, close } = await submitted(browser, 'Tess Transfer');
  const alicePanel = alice.locator('secure-form-panel');
  await alicePanel.getByRole('button', { name: 'Reveal Card number' }).click();
  const conversationId = await alicePanel.getAttribute('conversation-id');
  expect(conversationId).toBeTruthy();

  const bobContext = await browser.newContext();
  const bob = await bobContext.newPage();
  await signIn(bob, 'bob');
  const bobId = (await apiLogin(bob, 'bob')).operator.id;
  // Alice hands the conversation to Bob (as a workspace's "transfer" would).
  const { token: aliceToken } = await apiLogin(alice, 'alice');
  const transfer = await alice.request.post(`${PCI_ORIGIN}/v1/conversations/${conversationId}/transfer`, {
    headers: { 'Secure-Forms-Session': aliceToken },
    data: { agentId: bobId },
  });
  expect(transfer.status()).toBe(200);

  // Alice's panel: the answers and keys are gone, with why and what to do next.
  const aliceAlert = alicePanel.getByRole('alert').first();
  await expect(aliceAlert).toContainText('This conversation was transferred to another agent');
  await expect(aliceAlert).toContainText('The agent who has the conversation now can send a new form');
  await expect(alicePanel.getByRole('listitem').filter({ hasText: 'Payment card' }).getByRole('alert')).toContainText(
    'transferred to another agent',
  );
  await expect(alicePanel.getByRole('button', { name: 'Send secure form' })).toHaveAttribute('aria-disabled', 'true');
  noValues(await deepHtml(alice));
  await expectAxeClean(alice, 'transferred away');

  // Bob's panel: the form Alice sent is listed, and the backend refuses him its answers.
  await bob.getByRole('button', { name: 'Open conversation with Tess Transfer' }).click();
  const bobPanel = bob.locator('secure-form-panel');
  const theirs = bobPanel.getByRole('listitem').filter({ hasText: 'Payment card' });
  await expect(theirs.getByRole('alert')).toContainText('Only the agent who sent this form can read its answers.');
  await expect(theirs.getByRole('alert')).toContainText('Ask the agent who sent it, or send a new form yourself.');
  await expect(theirs.getByRole('button')).toHaveCount(0);
  noValues(await deepHtml(bob));
  await expectAxeClean(bob, 'not the sender');

  await bobContext.close();
  await close();
});

test('cancelling an invitation shows it cancelled; sending again makes a new one', async ({ browser }) => {
  const visitorContext = await browser.newContext();
  const agentContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const agent = await agentContext.newPage();
  await startChat(visitor, 'Cora Cancel');
  await signIn(agent, 'alice');
  await agent.getByRole('button', { name: 'Take conversation with Cora Cancel' }).click();
  const panel = agent.locator('secure-form-panel');
  await panel.getByRole('button', { name: 'Send secure form' }).click();
  const cancel = panel.getByRole('button', { name: /^Cancel / });
  await expect(cancel).toBeVisible();
  await cancel.click();
  await expect(panel.getByRole('list', { name: 'Status' })).toContainText('Cancelled');
  await expect(panel.getByRole('button', { name: /^Cancel / })).toHaveCount(0);
  await expectAxeClean(agent, 'cancelled');
  await panel.getByRole('button', { name: / again$/ }).click();
  await expect(panel.getByRole('list', { name: 'Status' })).toHaveCount(2);
  await visitorContext.close();
  await agentContext.close();
});
