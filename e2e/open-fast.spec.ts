/**
 * What keeps opening a form fast:
 * - one request after the click: the frame opens the invitation and gets its form in one request
 *   to its own origin (no CORS, so no preflight), with the visitor's token the host page posted it;
 *   the brand page calls the API not at all. Seen through DevTools' network events, which list
 *   preflights as requests of their own;
 * - the frame page's first scripts leave the sealing code (jose) out: it loads once the form shows;
 * - the frame page's first script sends the view request as soon as the host's `open` comes, and
 *   only then runs the rest of the frame (src/frame/ready.test.ts); a frame whose form is late
 *   shows that the form is loading meanwhile;
 * - the PCI site's warm-up page (no script, preload links only) loads hidden while the invitation
 *   shows, so that the opened frame finds its scripts in the browser's cache (the part of it that
 *   serves the PCI site framed by the brand's, which no request of the brand page itself can fill).
 */
import { expect, test } from '@playwright/test';
import { PCI_ORIGIN, conversation, fillAndSend, framePath, openInvitation, secureFrame, sendPaymentForm } from './support.js';
import { inlineScriptTexts } from '../demo/server/src/http/inline-scripts.js';

/** The key-wrapping algorithm's name: in the sealing code's JWE header, nowhere else in the frame. */
const SEALING_MARK = 'ECDH-ES+A256KW';

interface Seen {
  method: string;
  url: string;
  type?: string;
}

test("a cold open is one POST from the frame to the invitation's view route, with no preflight, and no API call from the brand page", async ({
  browser,
}) => {
  const { visitor, agent, close } = await conversation(browser, 'Pia Preflight');
  const cdp = await visitor.context().newCDPSession(visitor);
  await cdp.send('Network.enable');
  const seen: Seen[] = [];
  cdp.on('Network.requestWillBeSent', (e: { request: { method: string; url: string }; type?: string }) =>
    seen.push({ method: e.request.method, url: e.request.url, type: e.type }),
  );
  const toPci = () => seen.filter((r) => r.url.startsWith(`${PCI_ORIGIN}/v1/invitations/`));
  // Every frame's requests, the cross-origin frame's too (the brand page's DevTools session above sees only its own).
  const api: { url: string; method: string; from: string | null; token?: string; body: string | null }[] = [];
  visitor.on('request', (request) => {
    if (request.url().startsWith(`${PCI_ORIGIN}/v1/invitations/`)) {
      const headers = request.headers();
      api.push({
        url: request.url(),
        method: request.method(),
        from: framePath(request.frame()),
        token: headers['secure-forms-conversation'],
        body: request.postData(),
      });
    }
  });

  await sendPaymentForm(agent);
  await openInvitation(visitor);
  expect(toPci()).toEqual([]);
  expect(api).toHaveLength(1);
  expect(api[0]).toMatchObject({ method: 'POST', from: '/frame/', body: null });
  expect(new URL(api[0]!.url).pathname).toMatch(/^\/v1\/invitations\/[0-9a-f-]{36}\/view$/);
  expect(api[0]!.token).toMatch(/^[A-Za-z0-9_-]{22,128}$/);
  expect(api[0]!.url).not.toContain(api[0]!.token);

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

test("the frame page's first script and module leave the sealing code out; it loads once the form shows, and seals", async ({
  browser,
}) => {
  const { visitor, agent, close } = await conversation(browser, 'Lia Lazy');
  const frameScripts: string[] = [];
  visitor.on('response', (response) => {
    if (response.request().resourceType() === 'script' && response.url().startsWith(`${PCI_ORIGIN}/frame/assets/`)) {
      frameScripts.push(response.url());
    }
  });
  await sendPaymentForm(agent);
  await openInvitation(visitor);

  // The frame page's scripts: its first, inline, and the module it preloads.
  const src = await visitor.locator('secure-form-invite iframe').getAttribute('src');
  const html = await (await visitor.request.get(src!)).text();
  const inline = inlineScriptTexts(html);
  expect(inline).toHaveLength(1);
  expect(inline[0]).not.toContain(SEALING_MARK);
  const named = [...html.matchAll(/(?:src|href)="(\/frame\/assets\/[^"]+\.js)"/g)].map((m) => `${PCI_ORIGIN}${m[1]}`);
  expect(named).toHaveLength(1);
  for (const url of named) expect(await (await visitor.request.get(url)).text(), url).not.toContain(SEALING_MARK);

  await fillAndSend(secureFrame(visitor));
  await expect(visitor.getByText('Sent securely')).toBeVisible();
  const later = frameScripts.filter((url) => !named.includes(url));
  const bodies = await Promise.all(later.map(async (url) => (await visitor.request.get(url)).text()));
  expect(bodies.some((body) => body.includes(SEALING_MARK))).toBe(true);
  await close();
});

test('a frame whose form is late shows that the form is loading, then shows the form when it comes', async ({ browser }) => {
  const { visitor, agent, close } = await conversation(browser, 'Lars Late');
  let releaseOpen!: () => void;
  const released = new Promise<void>((resolve) => (releaseOpen = resolve));
  await visitor.route(/\/v1\/invitations\/[^/]+\/view(\?[^#]*)?$/, async (route) => {
    await released;
    await route.continue();
  });

  await sendPaymentForm(agent);
  await visitor.getByRole('button', { name: 'Open secure form' }).click();
  const frame = secureFrame(visitor);
  await expect(frame.getByRole('status')).toHaveText('Loading the secure form…');
  releaseOpen();
  await expect(frame.getByLabel('Card number')).toBeVisible();
  await close();
});

test('the warm-up page loads hidden while the invitation shows; the opened frame takes its module and stylesheet from the cache it filled', async ({
  browser,
}) => {
  const { visitor, agent, close } = await conversation(browser, 'Wanda Warm');
  const documents: string[] = [];
  visitor.on('request', (request) => {
    if (request.resourceType() === 'document' && request.url().startsWith(`${PCI_ORIGIN}/frame/`))
      documents.push(new URL(request.url()).pathname);
  });
  await sendPaymentForm(agent);
  await expect(visitor.getByRole('button', { name: 'Open secure form' })).toBeVisible();
  // Before any click: the warm-up page, from the PCI origin, in a frame nobody sees, with nothing of the invitation.
  await expect.poll(() => documents).toEqual(['/frame/warm']);
  const warm = visitor.locator('body > iframe');
  await expect(warm).toBeHidden();
  const src = new URL((await warm.getAttribute('src'))!);
  expect([...src.searchParams.keys()].sort()).toEqual(['host', 'site', 'v']);
  // Its preloads are in: the files the frame page loads first (its first script is inline).
  const preloaded = await (await visitor.request.get(src.href)).text();
  const named = [...preloaded.matchAll(/href="(\/frame\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  expect(named).toHaveLength(2);

  await openInvitation(visitor);
  expect(documents).toEqual(['/frame/warm', '/frame/']);
  const opened = visitor.frames().find((f) => framePath(f) === '/frame/')!;
  const fromCache = await opened.evaluate(() =>
    (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((r) => new URL(r.name).pathname.startsWith('/frame/assets/'))
      .map((r) => ({ path: new URL(r.name).pathname, transferSize: r.transferSize })),
  );
  // transferSize 0: served from the cache without a request.
  for (const path of named) expect(fromCache.find((r) => r.path === path)).toEqual({ path, transferSize: 0 });
  // Once the opened frame has loaded, the warm-up page is gone.
  await expect(warm).toHaveCount(0);
  await close();
});
