/**
 * A line that reaches the chat while the visitor has a secure form open, with the chat scrolled to
 * its end (where the form's last button is), must not move the form. The chat server's status
 * lines come from webhooks, sent in rounds every 2 s (demo/server/src/main.ts, WEBHOOK_ROUND_MS),
 * so "The agent sent a secure form." and "The secure form was opened." can land just as the
 * visitor (or a test) presses "Continue" or "Send securely": a chat that keeps its end in view
 * then scrolls, and a press aimed at the button lands where the button was: nothing is sent, and
 * the round trips in chat-uis.examples.ts would wait in vain for "Sent securely".
 *
 * The plain page's log stays still by the browser's scroll anchoring. deep-chat and chatscope keep
 * their end in view when a line comes: their pages stop that while a secure form is open
 * (examples/pages/src/deep-chat.ts, chatscope.tsx).
 */
import { expect, test } from '@playwright/test';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { fillAndReview, secureFrame } from '../support.js';
import { CHAT_UIS, visitorAndAgent } from './support.js';

for (const ui of CHAT_UIS) {
  test(`in ${ui.name}, a chat line arriving while the secure form is open does not move the form`, async ({ browser, request }) => {
    const visitorName = `Sam ${ui.path.slice(1) || 'plain'} still ${test.info().repeatEachIndex + 1}`;
    const violations: string[] = [];
    const { visitor, agent, close } = await visitorAndAgent(browser, violations);

    await visitor.goto(ui.path);
    await visitor.getByLabel('Your name').fill(visitorName);
    const started = visitor.waitForResponse((r) => r.url().endsWith('/api/conversations') && r.request().method() === 'POST');
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    const { id } = (await (await started).json()) as { id: string };
    await expect(visitor.getByRole('status').filter({ hasText: 'Connected.' })).toBeVisible();
    await agent.goto('/agent');
    await agent.getByRole('button', { name: `Open conversation with ${visitorName}` }).click();
    await agent.locator('secure-form-panel').getByRole('button', { name: 'Send secure form' }).click();

    await visitor.getByRole('button', { name: 'Open secure form' }).click();
    const frame = secureFrame(visitor);
    await fillAndReview(frame);
    // The webhooks' status lines so far are in: the only line on its way is the one posted below.
    await expect(visitor.getByText('The secure form was opened.')).toBeVisible({ timeout: 20_000 });
    // The visitor scrolls the chat to its end, where "Send securely" is: every scrolling box around the form.
    await frame.owner().evaluate((iframe) => {
      for (let n: Node | null = iframe; n; n = n.parentNode ?? (n as ShadowRoot).host ?? null) {
        if (n instanceof Element && n.scrollHeight > n.clientHeight) n.scrollTop = n.scrollHeight;
      }
    });
    await frameSettled(frame);
    const send = frame.getByRole('button', { name: 'Send securely' });
    const before = await send.boundingBox();

    const posted = await request.post(`/api/conversations/${id}/lines`, { data: { from: 'agent', text: 'Take your time.' } });
    expect(posted.status()).toBe(201);
    await expect(visitor.getByText('Take your time.')).toBeVisible();
    expect(await send.boundingBox(), '"Send securely" where it was before the line came').toEqual(before);

    expect(violations).toEqual([]);
    await close();
  });
}
