import { expect, test } from '@playwright/test';
import { conversation, fillAndSend, openInvitation, recordOtkUses, sendPaymentForm, type OtkUse } from './support.js';

test('every one-time key the round trip used is refused when replayed', async ({ browser, request }) => {
  const { visitor, agent, close } = await conversation(browser, 'Rita Replay');
  const otkUses: OtkUse[] = [];
  recordOtkUses(visitor, otkUses);
  recordOtkUses(agent, otkUses);

  await sendPaymentForm(agent);
  await fillAndSend(await openInvitation(visitor));
  await expect(agent.locator('secure-form-panel').getByText('•••• 1111 Visa')).toBeVisible();
  // The submit key and the retrieve key: the frame opens with the visitor's token, no view key.
  expect(otkUses).toHaveLength(2);

  for (const use of otkUses) {
    // The same request again, byte for byte, from the same origin with the same credentials.
    const headers = Object.fromEntries(
      Object.entries(use.headers).filter(([name]) => ['authorization', 'content-type', 'secure-forms-session', 'origin'].includes(name)),
    );
    const replay = await request.fetch(use.url, { method: use.method, headers, ...(use.body ? { data: use.body } : {}) });
    expect(replay.status(), `${use.method} ${new URL(use.url).pathname}`).toBeGreaterThanOrEqual(400);
    expect(replay.status()).toBeLessThan(500);
    expect((await replay.json()).error.code).toBe('OTK_USED');
  }
  await close();
});
