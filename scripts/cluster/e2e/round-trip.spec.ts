/**
 * The round trip across both origins, each behind a round-robin proxy in front of three instances:
 * the visitor's chat, the form frame and the agent's workspace reach the instances in turn (the
 * proxy names the instance of each answer), and the agent still reveals what the visitor sent.
 */
import { expect, test, type Page } from '@playwright/test';
import { INSTANCE_HEADER } from '../proxy.js';
import { CARD, CVV, conversation, fillAndReview, openInvitation, secureFrame, sendPaymentForm } from '../../../e2e/support.js';

/** The instance of every API answer the page (and its frames) received, in order. */
function recordInstances(page: Page, into: { path: string; instance: string }[]): void {
  const pci = process.env.CLUSTER_PCI ?? '';
  page.on('response', (response) => {
    const url = new URL(response.url());
    const instance = response.headers()[INSTANCE_HEADER];
    if (url.origin === pci && url.pathname.startsWith('/v1/') && instance !== undefined) into.push({ path: url.pathname, instance });
  });
}

test('a secure form goes from agent to visitor and back while consecutive requests land on different instances', async ({ browser }) => {
  const answers: { path: string; instance: string }[] = [];
  // Watching from before the first navigation: the panel opens its event stream while signing in.
  const { visitor, agent, close } = await conversation(browser, 'Clara Cluster', { onPage: (page) => recordInstances(page, answers) });

  await sendPaymentForm(agent);
  await fillAndReview(await openInvitation(visitor));
  // The proxy takes the instances in turn: probe until one lands on the agent stream's instance,
  // so that the submission lands on another and its event must cross instances to reach the agent.
  await expect.poll(() => answers.some((a) => a.path === '/v1/agent/events')).toBe(true);
  const stream = answers.find((a) => a.path === '/v1/agent/events')!.instance;
  for (let i = 0; i < 6; i++) {
    const probe = await fetch(`${process.env.CLUSTER_PCI}/v1/openapi.json`);
    await probe.arrayBuffer();
    if (probe.headers.get(INSTANCE_HEADER) === stream) break;
  }
  await secureFrame(visitor).getByRole('button', { name: 'Send securely' }).click();
  await expect(visitor.getByText('Sent securely')).toBeVisible();
  expect(answers.find((a) => a.path === '/v1/submissions')?.instance).not.toBe(stream);

  const panel = agent.locator('secure-form-panel');
  await expect(panel.getByText(CARD.panelMasked)).toBeVisible();
  await panel.getByRole('button', { name: 'Reveal Card number' }).click();
  await expect(panel.getByText(new RegExp(CARD.number.replace(/ /g, ' ?')))).toBeVisible();
  await panel.getByRole('button', { name: /Reveal Security code/ }).click();
  await expect(panel.getByText(CVV, { exact: true })).toBeVisible();

  // Every instance served the round trip, and consecutive requests changed instance.
  expect([...new Set(answers.map((a) => a.instance))].sort()).toEqual(['0', '1', '2']);
  const changes = answers.filter((a, i) => i > 0 && a.instance !== answers[i - 1]!.instance).length;
  expect(changes).toBeGreaterThan(0);
  // The frame's open with its form, and the one-time-key steps of the frame and the panel, went through the proxy too.
  for (const path of [/\/invitations\/[^/]+\/view$/, /\/submissions$/, /\/retrieve$/])
    expect(answers.some((a) => path.test(a.path))).toBe(true);
  await close();
});
