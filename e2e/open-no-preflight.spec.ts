/**
 * Opening a form costs no CORS preflight: the invite's open request is a simple request (the
 * conversation token as a text/plain body, no custom header), so the browser sends it at once.
 * Every invitation has its own open URL, so a preflight would be paid on every open, cold or warm.
 * Seen through DevTools' network events, which list preflights as requests of their own.
 */
import { expect, test } from '@playwright/test';
import { PCI_ORIGIN, conversation, openInvitation, sendPaymentForm } from './support.js';

interface Seen {
  method: string;
  url: string;
  type?: string;
}

test('a cold open sends no OPTIONS request, and one POST to the open route', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Pia Preflight');
  const cdp = await visitor.context().newCDPSession(visitor);
  await cdp.send('Network.enable');
  const seen: Seen[] = [];
  cdp.on('Network.requestWillBeSent', (e: { request: { method: string; url: string }; type?: string }) =>
    seen.push({ method: e.request.method, url: e.request.url, type: e.type }),
  );
  const toPci = () => seen.filter((r) => r.url.startsWith(`${PCI_ORIGIN}/v1/invitations/`));

  await sendPaymentForm(agent);
  await openInvitation(visitor);
  const opens = toPci();
  expect(opens.filter((r) => r.method === 'POST' && r.url.endsWith('/open'))).toHaveLength(1);
  expect(opens.filter((r) => r.method === 'OPTIONS' || r.type === 'Preflight')).toEqual([]);

  // The same listener does see a preflight: a request to another open URL with the header form.
  const otherOpen = `${PCI_ORIGIN}/v1/invitations/00000000-0000-4000-8000-000000000000/open`;
  const status = await visitor.evaluate(
    (url) =>
      fetch(url, { method: 'POST', headers: { 'Secure-Forms-Conversation': 'x'.repeat(43) }, credentials: 'omit' }).then((r) => r.status),
    otherOpen,
  );
  expect(status).toBe(404);
  await expect
    .poll(() => seen.filter((r) => r.url === otherOpen && (r.method === 'OPTIONS' || r.type === 'Preflight')).length)
    .toBeGreaterThan(0);
  await close();
});
