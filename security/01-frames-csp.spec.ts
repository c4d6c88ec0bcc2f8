/**
 * The frames and the content security policy; proves never-list row 1 (docs/never-list.md): no
 * field value reaches the brand page.
 *
 * - Every document (chat page, agent workspace, form frame) sends a strict policy, and the browser
 *   enforces it: a string to innerHTML, an inline script, a data: script, a string to setTimeout
 *   and an inline style attribute are all refused, and each refusal reaches /csp-report. The one
 *   inline script allowed anywhere is the frame page's first, by the hash of exactly its text.
 * - postMessage from any window but the expected one is ignored, both ways.
 * - The frame page will not render framed by an origin the site does not list.
 *
 * The probes and the attack cause violations on purpose; their contexts are marked so, and the
 * number of reports they leave is recorded for the last spec, which checks that nothing else in
 * the run broke a policy.
 */
import type { Frame, Page } from '@playwright/test';
import { createHash } from 'node:crypto';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { TEST_CARDS } from '../fixtures/cards.js';
import { assign, login, openInvitation, sendInvitation, startConversation, viewForm, type Session } from './api.js';
import { ATTACKER, startAttacker } from './attacker.js';
import { Watched } from './browser.js';
import { BRAND, BRAND_BY_IP, FROM, PCI, SITE } from './env.js';
import { secureFrame, startChat } from './flows.js';
import { call } from './http.js';
import { cspReports, settledReports } from './logs.js';
import { writeState } from './state.js';
import { expect, test } from './table.js';

test.describe.configure({ mode: 'serial' });

const PROTOCOL = 'secure-forms/1';
const frameUrl = (host: string, site = SITE) => `${PCI}/frame/?site=${site}&host=${encodeURIComponent(host)}`;

const DOCUMENTS = [
  { name: 'chat page (/)', url: `${BRAND}/`, ancestors: "'none'", inlineScripts: 0 },
  { name: 'agent workspace (/agent)', url: `${BRAND}/agent`, ancestors: "'none'", inlineScripts: 0 },
  // Its first script is inline (one request less on a first open), allowed by its hash.
  { name: 'form frame (/frame/)', url: frameUrl(BRAND), ancestors: `${BRAND} ${BRAND_BY_IP}`, inlineScripts: 1 },
];

/**
 * The CSP hash sources of the inline scripts (`<script>` elements with no `src`) in `html`: worked
 * out here again, not with the server's own code, since it is the server's answer under test.
 */
function inlineScriptHashes(html: string): string[] {
  return [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)]
    .filter(([, attributes]) => !/\bsrc=/.test(attributes!))
    .map(([, , text]) => `'sha256-${createHash('sha256').update(text!, 'utf8').digest('base64')}'`);
}

function directives(csp: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of csp.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name.toLowerCase(), values.join(' '));
  }
  return map;
}

/**
 * What is wrong with a document's policy, if anything. `scriptHashes`: the hashes of the page's own
 * inline scripts, the only ones script-src may name besides 'self'.
 */
function policyProblems(csp: string, ancestors: string, scriptHashes: readonly string[]): string[] {
  const d = directives(csp);
  const problems: string[] = [];
  const want = (name: string, value: string) =>
    d.get(name) !== value && problems.push(`${name} is "${d.get(name) ?? '(missing)'}", not "${value}"`);
  if (csp === '') return ['no Content-Security-Policy header'];
  if (
    /'unsafe-(inline|eval|hashes)'|'strict-dynamic'|(^|\s)(\*|data:|blob:|https?:)(\s|;|$)/.test(
      [d.get('script-src'), d.get('style-src'), d.get('default-src')].join(' '),
    )
  ) {
    problems.push('script, style or default sources are not "self" only');
  }
  want('default-src', "'none'");
  want('script-src', ["'self'", ...scriptHashes].join(' '));
  want('style-src', "'self'");
  want('object-src', "'none'");
  want('base-uri', "'none'");
  want('require-trusted-types-for', "'script'");
  want('trusted-types', "lit-html 'allow-duplicates'");
  want('frame-ancestors', ancestors);
  want('report-uri', '/csp-report');
  return problems;
}

test('CSP: the demo pages and the frame send a strict policy, and the browser enforces it', async ({ browser, table }) => {
  for (const doc of DOCUMENTS) {
    const answer = await call(doc.url);
    const csp = String(answer.headers['content-security-policy'] ?? '');
    const hashes = inlineScriptHashes(answer.text);
    const problems = policyProblems(csp, doc.ancestors, hashes);
    if (hashes.length !== doc.inlineScripts) problems.push(`the page has ${hashes.length} inline scripts, not ${doc.inlineScripts}`);
    table.add(
      'CSP',
      `policy of the ${doc.name}`,
      'read its Content-Security-Policy header and its inline scripts',
      problems.length > 0
        ? problems.join('; ')
        : `script-src and style-src 'self' only${doc.inlineScripts ? ", plus the hash of exactly the page's own first script" : ''}, no unsafe-inline or unsafe-eval, Trusted Types required (lit-html), frame-ancestors ${doc.ancestors}, reports to /csp-report`,
      answer.status === 200 && problems.length === 0,
    );
  }

  const before = cspReports().length;
  const { watch, page } = await Watched.open(browser, 'CSP probes', { expectViolations: true });
  for (const doc of DOCUMENTS) {
    await page.goto(doc.url);
    const outcome = await page.evaluate(async () => {
      const w = window as unknown as Record<string, unknown> & {
        trustedTypes: { createPolicy(name: string, rules: Record<string, (s: string) => string>): Record<string, (s: string) => unknown> };
      };
      const result: Record<string, string> = {};
      try {
        document.createElement('div').innerHTML = '<b>probe</b>';
        result.innerHTML = 'allowed';
      } catch {
        result.innerHTML = 'blocked';
      }
      // A policy under the one allowed name, to get past Trusted Types to the script-src check.
      const policy = w.trustedTypes.createPolicy('lit-html', { createScript: (s) => s, createScriptURL: (s) => s });
      const inline = document.createElement('script');
      (inline as unknown as { text: unknown }).text = policy.createScript!('window.__probeInline = 1');
      document.head.append(inline);
      const data = document.createElement('script');
      (data as unknown as { src: unknown }).src = policy.createScriptURL!('data:text/javascript,window.__probeData=1');
      await new Promise<void>((resolve) => {
        data.onload = data.onerror = () => resolve();
        document.head.append(data);
        setTimeout(resolve, 1000);
      });
      (setTimeout as unknown as (code: unknown, ms: number) => void)(policy.createScript!('window.__probeEval = 1'), 0);
      const styled = document.createElement('p');
      styled.setAttribute('style', 'color: rgb(1, 2, 3)');
      document.body.append(styled);
      await new Promise((r) => setTimeout(r, 300));
      result.inlineScript = w.__probeInline ? 'ran' : 'blocked';
      result.dataScript = w.__probeData ? 'ran' : 'blocked';
      result.stringTimer = w.__probeEval ? 'ran' : 'blocked';
      result.inlineStyle = getComputedStyle(styled).color === 'rgb(1, 2, 3)' ? 'applied' : 'blocked';
      return result;
    });
    const allowed = Object.entries(outcome).filter(([, v]) => v !== 'blocked');
    table.add(
      'CSP',
      `enforced in the ${doc.name}`,
      'a string to innerHTML, an inline script, a data: script, a string to setTimeout, an inline style attribute',
      allowed.length === 0 ? 'all five refused' : `allowed: ${allowed.map(([k, v]) => `${k} ${v}`).join(', ')}`,
      allowed.length === 0,
    );
  }
  const expected = DOCUMENTS.length * 5;
  const reports = (await settledReports(before + expected)).slice(before);
  const directivesSeen = [...new Set(reports.map((r) => r.directive))].sort().join(', ');
  table.add(
    'CSP',
    'violations reach /csp-report on both origins',
    `${expected} refusals caused by the probes above`,
    `${reports.length} reports (${directivesSeen}), from ${[...new Set(reports.map((r) => r.page))].join(' ')}`,
    reports.length >= expected && reports.some((r) => r.page === '/frame/') && reports.some((r) => r.page === '/agent'),
  );
  table.add(
    'CSP',
    'the probes were seen in the browser too',
    'securitypolicyviolation events and console errors',
    `${watch.violations.length} recorded`,
    watch.violations.length >= expected,
  );
  await watch.close();
  table.expectAllHeld();
});

/** Add an iframe to the page; returns its Frame once its document is there. */
async function addFrame(page: Page, title: string, src: string | null): Promise<Frame> {
  await page.evaluate(
    ({ title, src }) => {
      const iframe = document.createElement('iframe');
      iframe.title = title;
      if (src) iframe.src = src;
      document.body.append(iframe);
    },
    { title, src },
  );
  const handle = await page.locator(`iframe[title="${title}"]`).elementHandle();
  const frame = await handle.contentFrame();
  if (!frame) throw new Error(`no frame for ${title}`);
  if (src) await frame.waitForLoadState('load');
  return frame;
}

test('Frames: postMessage from any window but the expected one is ignored, both ways', async ({ browser, table }) => {
  const alice: Session = await login('alice', { from: FROM.abuse });
  async function viewKey(name: string) {
    const visitor = await startConversation(name, { from: FROM.abuse });
    await assign(alice, visitor.id, FROM.abuse);
    const sent = await sendInvitation(alice, visitor.id, { from: FROM.abuse });
    return { invitationId: sent.invitationId, otk: await openInvitation(visitor, sent.invitationId, FROM.abuse) };
  }
  const open = (key: { invitationId: string; otk: string }) => ({
    protocol: PROTOCOL,
    type: 'open',
    invitationId: key.invitationId,
    viewOtk: key.otk,
  });
  /** Whether a view key was left unspent: redeem it now (a fresh key is still inside its TTL). */
  const unspent = async (otk: string) => {
    try {
      await viewForm(otk, FROM.abuse);
      return true;
    } catch {
      return false;
    }
  };

  // Frame → host direction first: host pages of the demo chat, with frames waiting for `open`.
  const { watch, page } = await Watched.open(browser, 'frames: host page');
  await page.goto(`${BRAND}/`);
  const viewedBy: string[] = [];
  page.on('request', (r) => {
    if (/\/v1\/(forms|invitations\/[^/]+)\/view(\?[^#]*)?$/.test(r.url())) viewedBy.push(r.frame().url());
  });
  const toldOtherHost = await addFrame(page, 'told another host', frameUrl(BRAND_BY_IP));
  const target = await addFrame(page, 'target', frameUrl(BRAND));
  const sibling = await addFrame(page, 'sibling', null);
  await expect(page.frameLocator('iframe[title="target"]').getByText('Loading the secure form')).toBeVisible();

  const postFromParent = (to: string, message: unknown) =>
    page.evaluate(
      ({ to, message }) => document.querySelector<HTMLIFrameElement>(`iframe[title="${to}"]`)!.contentWindow!.postMessage(message, '*'),
      { to, message },
    );

  // 1. The parent is the page, but the frame was told its host is the other brand origin.
  const key1 = await viewKey('Frida Frames 1');
  await postFromParent('told another host', open(key1));
  await page.waitForTimeout(1500);
  const ignored1 = !viewedBy.includes(toldOtherHost.url()) && (await unspent(key1.otk));
  table.add(
    'Frames',
    'frame ignores `open` from a parent of another origin',
    `${BRAND} posts a valid open (fresh view key) to a frame whose host is ${BRAND_BY_IP}`,
    ignored1 ? 'ignored: no /forms/view, the view key was still unused' : 'ACCEPTED: the frame redeemed the key',
    ignored1,
  );

  // 2. The right origin, but a sibling window rather than the parent.
  const key2 = await viewKey('Frida Frames 2');
  await sibling.evaluate(
    ({ message }) =>
      window.parent.document.querySelector<HTMLIFrameElement>('iframe[title="target"]')!.contentWindow!.postMessage(message, '*'),
    {
      message: open(key2),
    },
  );
  await page.waitForTimeout(1500);
  const ignored2 = !viewedBy.includes(target.url()) && (await unspent(key2.otk));
  table.add(
    'Frames',
    'frame ignores `open` from a window other than its parent',
    'a same-origin sibling iframe of the host page posts a valid open to the frame',
    ignored2 ? 'ignored: no /forms/view, the view key was still unused' : 'ACCEPTED: the frame redeemed the key',
    ignored2,
  );

  // 1b, 2b. The same with the form of `open` the invite posts: the visitor's conversation token.
  /** An invitation sent to a new visitor, and the `open` with that visitor's token. */
  async function tokenOpen(name: string) {
    const visitor = await startConversation(name, { from: FROM.abuse });
    await assign(alice, visitor.id, FROM.abuse);
    const sent = await sendInvitation(alice, visitor.id, { from: FROM.abuse });
    const message = { protocol: PROTOCOL, type: 'open', invitationId: sent.invitationId, conversationToken: visitor.token };
    return { invitationId: sent.invitationId, message };
  }
  /** How many times the invitation was opened, as its sender sees it. */
  const opensOf = async (invitationId: string) =>
    (
      (await call(`${PCI}/v1/invitations/${invitationId}`, { method: 'GET', headers: alice.headers, from: FROM.abuse })).json as {
        opens: number;
      }
    ).opens;
  const token1 = await tokenOpen('Frida Frames 1b');
  await postFromParent('told another host', token1.message);
  const token2 = await tokenOpen('Frida Frames 2b');
  await sibling.evaluate(
    ({ message }) =>
      window.parent.document.querySelector<HTMLIFrameElement>('iframe[title="target"]')!.contentWindow!.postMessage(message, '*'),
    { message: token2.message },
  );
  await page.waitForTimeout(1500);
  const opens = [await opensOf(token1.invitationId), await opensOf(token2.invitationId)];
  const ignoredTokens = viewedBy.length === 0 && opens[0] === 0 && opens[1] === 0;
  table.add(
    'Frames',
    'frame ignores a token `open` from a parent of another origin or another window',
    `the visitor's token in \`open\`, posted by ${BRAND} to a frame whose host is ${BRAND_BY_IP}, and by a sibling iframe to the frame`,
    ignoredTokens
      ? 'ignored: no view request, both invitations still unopened'
      : `ACCEPTED (view requests: ${viewedBy.length}, opens: ${opens.join(', ')})`,
    ignoredTokens,
  );

  // Control: the parent, from the host origin, is listened to.
  const key3 = await viewKey('Frida Frames 3');
  await postFromParent('target', open(key3));
  const accepted = await page
    .frameLocator('iframe[title="target"]')
    .getByLabel('Card number')
    .waitFor({ timeout: 10_000 })
    .then(() => true)
    .catch(() => false);
  table.add(
    'Frames',
    'frame accepts `open` from its host page (control)',
    'the host page itself posts a valid open',
    accepted ? 'form shown' : 'NOT shown',
    accepted,
  );

  // Host ← frame direction: the real chat page with an open invitation.
  const chat = await startChat(page, 'Frida Frames 4');
  await assign(alice, chat.conversationId, FROM.abuse);
  await sendInvitation(alice, chat.conversationId, { from: FROM.abuse });
  await page.getByRole('button', { name: 'Open secure form' }).click();
  const form = secureFrame(page);
  await expect(form.getByLabel('Card number')).toBeVisible();
  await page.evaluate(() => {
    (window as unknown as { __submitted: number }).__submitted = 0;
    document.addEventListener('secure-form-submitted', () => (window as unknown as { __submitted: number }).__submitted++, true);
  });
  const forged = [
    { protocol: PROTOCOL, type: 'submitted', submissionId: '6f1d2c3b-4a5e-4f60-8a7b-9c0d1e2f3a4b' },
    { protocol: PROTOCOL, type: 'error', code: 'OTK_EXPIRED' },
    { protocol: PROTOCOL, type: 'closed' },
  ];
  await page.evaluate((messages) => messages.forEach((m) => window.postMessage(m, '*')), forged);
  const pciSibling = await addFrame(page, 'another PCI frame', frameUrl(BRAND));
  await pciSibling.evaluate((messages) => messages.forEach((m) => window.parent.postMessage(m, '*')), forged);
  await page.waitForTimeout(1000);
  const stillOpen = await form.getByLabel('Card number').isVisible();
  const events = await page.evaluate(() => (window as unknown as { __submitted: number }).__submitted);
  const sentShown = await page.locator('secure-form-invite').getByText('Sent securely').count();
  const ignored3 = stillOpen && events === 0 && sentShown === 0;
  table.add(
    'Frames',
    'invitation ignores frame messages not from its own frame',
    'submitted, error and closed posted by the brand page itself and by another PCI-origin frame',
    ignored3 ? 'ignored: the form stays open, no secure-form-submitted event' : `ACCEPTED (form open: ${stillOpen}, events: ${events})`,
    ignored3,
  );

  // Control: the invitation's own frame is listened to.
  await form.getByLabel('Card number').fill(TEST_CARDS.visa.number);
  await form.getByLabel('Expiry date').fill('12/34');
  await form.getByLabel('Name on the card').fill('Ada Lovelace');
  await form.getByLabel('Billing postcode').fill('SW1A 1AA');
  await form.getByLabel('Security code (CVV)').fill('123');
  // The form changes size as it is filled (hints, the card brand): the frame takes its new size first (see frameSettled).
  await frameSettled(form);
  await form.getByRole('button', { name: 'Continue' }).click();
  // The review is shorter than the form: the frame takes its new size first (see frameSettled).
  await frameSettled(form);
  await form.getByRole('button', { name: 'Send securely' }).click();
  await expect(page.locator('secure-form-invite').getByText('Sent securely').first()).toBeVisible();
  const realEvents = await page.evaluate(() => (window as unknown as { __submitted: number }).__submitted);
  table.add(
    'Frames',
    'invitation hears its own frame (control)',
    'the visitor sends the form',
    `secure-form-submitted fired ${realEvents} time(s)`,
    realEvents === 1,
  );
  expect(watch.unexpectedViolations(), 'CSP violations on the host page').toEqual([]);
  await watch.close();
  table.expectAllHeld();
});

test('Frames: the frame page refuses to render when framed by an origin the site does not allow', async ({ browser, table }) => {
  for (const [label, url] of [
    ['a host the site does not list', frameUrl('https://attacker.example')],
    ['the attacker page as host', frameUrl(ATTACKER)],
    ['a brand origin with a path', frameUrl(`${BRAND}/chat`)],
    ['an unknown site', frameUrl(BRAND, 'no-such-site')],
  ] as const) {
    const answer = await call(url);
    const csp = String(answer.headers['content-security-policy'] ?? '');
    const held =
      answer.status === 400 &&
      !/<script/i.test(answer.text) &&
      /frame-ancestors 'none'/.test(csp) &&
      answer.headers['x-frame-options'] === 'DENY';
    table.add(
      'Frames',
      `frame URL naming ${label}`,
      `GET ${decodeURIComponent(url.replace(PCI, ''))}`,
      `${answer.status}, no page, frame-ancestors 'none'${held ? '' : ' — NOT SO'}`,
      held,
    );
  }

  const attacker = await startAttacker();
  try {
    const before = cspReports().length;
    const { watch, page } = await Watched.open(browser, 'frames: attacker page', { expectViolations: true });
    for (const [label, host] of [
      ['claiming the brand as host', BRAND],
      ['naming itself as host', ATTACKER],
    ] as const) {
      await page.goto(`${ATTACKER}/?frame=${encodeURIComponent(frameUrl(host))}`);
      await page.waitForTimeout(1500);
      const child = page.frames().find((f) => f !== page.mainFrame());
      const rendered = child ? await child.evaluate(() => !!document.querySelector('secure-form-frame')).catch(() => false) : false;
      table.add(
        'Frames',
        `frame page framed by another origin, ${label}`,
        `${ATTACKER} (not a brand origin) frames /frame/?site=demo&host=${host}`,
        rendered ? 'RENDERED inside the attacker page' : `refused (${child ? child.url().slice(0, 40) : 'no frame'})`,
        !rendered,
      );
    }
    const reports = (await settledReports(before + 1)).slice(before);
    const ancestors = reports.filter((r) => r.directive === 'frame-ancestors');
    table.add(
      'Frames',
      'the refusal is reported',
      'frame-ancestors report from the frame page',
      `${ancestors.length} frame-ancestors report(s)`,
      ancestors.length >= 1,
    );
    await watch.close();
  } finally {
    await attacker.close();
  }
  // Everything the probes and attacks in this file caused; the last spec checks nothing was added.
  writeState({ cspReportsExpected: (await settledReports(0, 3000)).length });
  table.expectAllHeld();
});
