/**
 * Helpers for the consumer widget's e2e tests: drive the agent's side through the API,
 * serve host pages of our own on the brand origin (any locale, a shadow root, a nested iframe),
 * scan with axe, and watch the never-list (card numbers and OTKs must not reach the host page).
 */
import { webcrypto } from 'node:crypto';
import { checkState, WIDGET_TEXT, type WidgetLang } from '@secure-forms/consumer-widget/testing';
import { expect, type APIRequestContext, type FrameLocator, type Page, type Request } from '@playwright/test';
import { snapshotDom } from '../fixtures/brand-dom.js';
import { TEST_CARDS } from '../fixtures/cards.js';
import { CVV, DEMO_PASSWORD, PCI_ORIGIN, POSTCODE } from './support.js';

export const BRAND_ORIGIN = `http://localhost:${process.env.E2E_BRAND_PORT}`;
export const SITE_ID = 'demo';

/** The widget's strings, per locale: the QA helper's table (packages/consumer-widget/src/testing). */
export const TEXT = WIDGET_TEXT;
export type Lang = WidgetLang;

/** The demo payment form's labels, per locale (from demo/server/sites.json). */
export const CARD_FORM: Record<Lang, { card: string; expiry: string; name: string; postcode: string; cvv: string }> = {
  en: {
    card: 'Card number',
    expiry: 'Expiry date',
    name: 'Name on the card',
    postcode: 'Billing postcode',
    cvv: 'Security code (CVV)',
  },
  es: {
    card: 'Número de tarjeta',
    expiry: 'Fecha de caducidad',
    name: 'Nombre que figura en la tarjeta',
    postcode: 'Código postal de facturación',
    cvv: 'Código de seguridad (CVV)',
  },
  ar: {
    card: 'رقم البطاقة',
    expiry: 'تاريخ انتهاء الصلاحية',
    name: 'الاسم المكتوب على البطاقة',
    postcode: 'الرمز البريدي لعنوان الفواتير',
    cvv: 'رمز الأمان (CVV)',
  },
};

// ---- the agent's side, through the API ------------------------------------------------------

let session: string | null = null;

/** One session for alice per worker: the login rate limit allows 10 a minute. */
export async function agentSession(request: APIRequestContext): Promise<string> {
  if (session) return session;
  const response = await request.post(`${PCI_ORIGIN}/v1/sessions`, {
    data: { siteId: SITE_ID, username: 'alice', password: DEMO_PASSWORD },
  });
  expect(response.status(), await response.text()).toBe(201);
  session = ((await response.json()) as { token: string }).token;
  return session;
}

export async function startConversation(request: APIRequestContext, visitorName: string) {
  const response = await request.post(`${PCI_ORIGIN}/v1/conversations`, { data: { siteId: SITE_ID, visitorName } });
  expect(response.status(), await response.text()).toBe(201);
  return (await response.json()) as { conversationId: string; conversationToken: string };
}

/** The id of the newest conversation with this visitor (for chats started on the demo page). */
export async function findConversation(request: APIRequestContext, visitorName: string): Promise<string> {
  const token = await agentSession(request);
  const response = await request.get(`${PCI_ORIGIN}/v1/conversations`, { headers: { 'Secure-Forms-Session': token } });
  expect(response.ok()).toBe(true);
  const { conversations } = (await response.json()) as { conversations: { id: string; visitorName: string; createdAt: string }[] };
  const found = conversations.filter((c) => c.visitorName === visitorName).sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  expect(found, `conversation with ${visitorName}`).toBeTruthy();
  return found!.id;
}

/** Alice takes the conversation and sends a demo form (the payment form unless `formId` says); returns the invitation. */
export async function sendInvitation(request: APIRequestContext, conversationId: string, formId = 'card-payment') {
  const token = await agentSession(request);
  const headers = { 'Secure-Forms-Session': token };
  const assign = await request.post(`${PCI_ORIGIN}/v1/conversations/${conversationId}/assign`, { headers });
  expect(assign.ok(), await assign.text()).toBe(true);
  const pair = await webcrypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, true, ['deriveBits']);
  const jwk = await webcrypto.subtle.exportKey('jwk', pair.publicKey);
  const publicKey = { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y };
  const response = await request.post(`${PCI_ORIGIN}/v1/conversations/${conversationId}/invitations`, {
    headers,
    data: { formId, publicKey },
  });
  expect(response.status(), await response.text()).toBe(201);
  const invitation = (await response.json()) as { id: string; formTitle: string | Record<string, string> };
  const title =
    typeof invitation.formTitle === 'string' ? invitation.formTitle : (invitation.formTitle.en ?? Object.values(invitation.formTitle)[0]!);
  return { invitationId: invitation.id, formTitle: title };
}

/** A fresh conversation through the API with a demo form (the payment form unless `formId` says) sent into it. */
export async function apiInvitation(request: APIRequestContext, visitorName: string, formId?: string) {
  const conversation = await startConversation(request, visitorName);
  const invitation = await sendInvitation(request, conversation.conversationId, formId);
  return { ...conversation, ...invitation };
}

// ---- host pages of our own on the brand origin --------------------------------------------

export type Layout = 'plain' | 'shadow' | 'nested';

export interface HostOptions {
  invitationId: string;
  formTitle: string;
  conversationToken: string;
  lang?: Lang;
  layout?: Layout;
  /** Forwarded to the invite's `display` attribute. */
  display?: 'auto' | 'inline' | 'dialog';
  /**
   * Which loader build the nested chat loads: the classic script (locales built in, the default)
   * or the ES module, which fetches its locale chunk from /secure-forms/locales/.
   */
  loader?: 'classic' | 'module';
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// The nested chat fits in the page's 720 px viewport: it is under 40rem wide, so the form opens in
// its modal dialog, which fills the chat; the form scrolls inside its own frame, and Chromium does
// not carry scrolling into view from that cross-origin frame up to this page.
const STYLE =
  'body{font-family:system-ui,sans-serif;margin:0;padding:1rem;color:#0b0c0c;background:#fff} main{max-width:40rem} iframe.chat{width:100%;height:560px;border:1px solid #505a5f}';

/** The chat's body, and a script that gives the invite its token (in a shadow root for `shadow`). */
function chatParts(o: HostOptions) {
  const lang = o.lang ?? 'en';
  const attrs = `invitation-id="${esc(o.invitationId)}" form-title="${esc(o.formTitle)}" pci-origin="${PCI_ORIGIN}" site-id="${SITE_ID}" locale="${lang}"${
    o.display ? ` display="${o.display}"` : ''
  }`;
  const chat = `<div id="chat" role="log" aria-label="Chat"><secure-form-invite ${attrs}></secure-form-invite></div>`;
  const inShadow = o.layout === 'shadow';
  const body = `<main>
  <h1>${lang === 'ar' ? 'المحادثة' : 'Chat'}</h1>
  <div id="chat-host">${inShadow ? '' : chat}</div>
  <p><button type="button" id="after" style="min-height:44px">${lang === 'ar' ? 'زر بعد المحادثة' : 'After the chat'}</button></p>
</main>`;
  const setup = `(function () {
    var token = ${JSON.stringify(o.conversationToken)};
    var scope = document;
    ${inShadow ? `scope = document.getElementById('chat-host').attachShadow({ mode: 'open' }); scope.innerHTML = ${JSON.stringify(chat)};` : ''}
    scope.querySelector('secure-form-invite').conversationToken = token;
  })();`;
  return { lang, dir: lang === 'ar' ? 'rtl' : 'ltr', body, setup };
}

/** A whole chat page, for the nested layout's srcdoc iframe. */
function chatDocument(o: HostOptions): string {
  const { lang, dir, body, setup } = chatParts(o);
  return `<!doctype html><html lang="${lang}" dir="${dir}"><head><meta charset="utf-8"><title>Chat window</title><style>${STYLE}</style>
${o.loader === 'module' ? '<script type="module" src="/secure-forms/loader.js"></script>' : '<script src="/secure-forms/loader.iife.js"></script>'}</head><body>${body}<script>${setup}</script></body></html>`;
}

/**
 * Open a host page of our own on the brand origin. It must be a document the brand server really
 * sent from loopback: a page Playwright fulfils itself counts as public address space, and
 * Chromium's Local Network Access check then refuses its calls to the (loopback) PCI origin. So
 * the page is a real brand-origin HTML page (the demo's `/`, which also loads the loader) whose
 * content we replace — a text/plain page (such as a 404) would not upgrade custom elements; a nested chat
 * is a same-origin srcdoc iframe (brand pages are `X-Frame-Options: DENY`), which inherits the
 * brand origin and address space. The loader is the classic script the demo chat page uses (its
 * locales built in); a nested chat can load the ES module build instead (`loader: 'module'`).
 */
export async function openHostPage(page: Page, o: HostOptions): Promise<void> {
  // The demo page runs under a strict CSP (Trusted Types, no inline script or style), which the
  // markup, inline scripts and styles of our own host pages would break. These tests are about the
  // widget in any host page, so this page ignores its CSP (the PCI frame inside keeps its own; the
  // demo pages themselves run under theirs in the other specs and the security suite).
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Page.setBypassCSP', { enabled: true });
  await page.goto(`${BRAND_ORIGIN}/`);
  await page.waitForFunction(() => !!customElements.get('secure-form-invite'));
  const nested = o.layout === 'nested';
  const parts = chatParts(o);
  const body = nested
    ? `<main><h1>Brand page</h1><iframe class="chat" title="Chat window" srcdoc="${esc(chatDocument({ ...o, layout: 'plain' }))}"></iframe></main>`
    : parts.body;
  await page.evaluate(
    ({ lang, dir, body, style }) => {
      document.documentElement.lang = lang;
      document.documentElement.dir = dir;
      document.head.innerHTML = `<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Widget test page</title><style>${style}</style>`;
      document.body.innerHTML = body;
    },
    { lang: nested ? 'en' : parts.lang, dir: nested ? 'ltr' : parts.dir, body, style: STYLE },
  );
  if (nested) {
    await expect(page.frameLocator('iframe[title="Chat window"]').locator('secure-form-invite')).toHaveCount(1);
    return;
  }
  await page.addScriptTag({ content: parts.setup });
}

// ---- axe ----------------------------------------------------------------------------------

/**
 * Scan the whole page, frames included, at WCAG 2.2 A/AA with target-size on (the QA helper's
 * `checkState`, which also puts the state, with a screenshot, in the report).
 */
export async function expectNoViolations(page: Page, what: string): Promise<void> {
  const report = await checkState(page, what);
  expect(report.violations, `axe violations on ${what}`).toEqual([]);
}

// ---- the never-list -----------------------------------------------------------------------

/** Records what the host page could leak: console text, request URLs, and the OTKs seen on the wire. */
export class NeverList {
  readonly console: string[] = [];
  readonly urls: string[] = [];
  readonly otks = new Set<string>();

  constructor(readonly page: Page) {
    page.on('console', (m) => this.console.push(m.text()));
    page.on('pageerror', (e) => this.console.push(String(e)));
    page.on('request', (r: Request) => {
      this.urls.push(r.url());
      const auth = r.headers()['authorization'];
      if (auth?.startsWith('OTK ')) this.otks.add(auth.slice(4));
    });
    page.on('response', async (r) => {
      if (!/\/v1\/(invitations\/[^/]+\/(open|view)|forms\/view|submissions\/extend)(\?[^#]*)?$/.test(r.url())) return;
      try {
        const body = (await r.json()) as Record<string, unknown>;
        for (const key of ['viewOtk', 'submitOtk']) if (typeof body[key] === 'string') this.otks.add(body[key]);
      } catch {
        /* not JSON, or gone */
      }
    });
  }

  /** The host page's DOM (shadow roots and same-origin nested frames included) and its storage. */
  async hostSnapshot(): Promise<string> {
    const parts: string[] = [];
    for (const frame of this.page.frames()) {
      if (!frame.url().startsWith(BRAND_ORIGIN)) continue;
      parts.push(await frame.evaluate(snapshotDom));
    }
    return parts.join('\n');
  }

  /** Storage of the PCI frame too: answers stay in memory, never in storage. */
  async frameStorage(): Promise<string> {
    const parts: string[] = [];
    for (const frame of this.page.frames()) {
      if (!frame.url().startsWith(PCI_ORIGIN)) continue;
      // The sandboxed, partitioned frame may be refused storage altogether: then nothing is in it.
      parts.push(
        await frame.evaluate(() => {
          try {
            return [localStorage, sessionStorage].flatMap((s) => Object.keys(s).map((k) => `${k}=${s.getItem(k)}`)).join('\n');
          } catch {
            return '';
          }
        }),
      );
    }
    return parts.join('\n');
  }

  async expectClean(cardDigits: string, what: string): Promise<void> {
    const secrets = [cardDigits, cardDigits.replace(/(\d{4})(?=\d)/g, '$1 '), ...this.otks];
    const host = await this.hostSnapshot();
    const frameStorage = await this.frameStorage();
    for (const secret of secrets) {
      const label = secret === cardDigits || /\s/.test(secret) ? 'the card number' : 'an OTK';
      expect(host.includes(secret), `${label} in the host page's DOM or storage (${what})`).toBe(false);
      expect(frameStorage.includes(secret), `${label} in the frame's storage (${what})`).toBe(false);
      expect(
        this.console.filter((c) => c.includes(secret)),
        `${label} in console messages (${what})`,
      ).toEqual([]);
      expect(
        this.urls.filter((u) => u.includes(secret) || u.includes(encodeURIComponent(secret))),
        `${label} in a request URL (${what})`,
      ).toEqual([]);
    }
  }
}

/** The deepest focused element of the top document (through shadow roots), as `TAG:text`. */
export async function deepFocus(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    while (el?.shadowRoot?.activeElement) el = el.shadowRoot.activeElement;
    return el ? `${el.tagName}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 60)}` : 'none';
  });
}

/** Press `key` until the focused element (through shadow roots) is `wanted` (`TAG:name`, as {@link deepFocus} says). */
export async function tabUntil(page: Page, wanted: string, key = 'Tab', max = 40): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < max; i++) {
    const now = await deepFocus(page);
    if (now === wanted) return;
    seen.push(now);
    await page.keyboard.press(key);
  }
  throw new Error(`never reached ${wanted} with ${key}; focus went ${seen.join(' → ')}`);
}

/**
 * The demo's card form, filled with the keyboard alone from the moment focus has moved into its
 * frame: each Tab lands on the next field in order (checked), the visitor types the public test
 * card and the other answers, and the last Tab lands on Continue.
 */
export async function fillCardFormByKeyboard(page: Page, frame: FrameLocator): Promise<void> {
  const card = frame.getByLabel('Card number');
  await page.keyboard.press('Tab');
  await expect(card).toBeFocused();
  await page.keyboard.type(TEST_CARDS.visa.digits);
  await expect(card).toHaveValue(TEST_CARDS.visa.number);
  const rest: [label: string, typed: string][] = [
    ['Expiry date', '12/34'],
    ['Name on the card', 'Ada Lovelace'],
    ['Billing postcode', POSTCODE],
    ['Security code (CVV)', CVV],
  ];
  for (const [label, typed] of rest) {
    await page.keyboard.press('Tab');
    await expect(frame.getByLabel(label)).toBeFocused();
    await page.keyboard.type(typed);
  }
  await page.keyboard.press('Tab');
  await expect(frame.getByRole('button', { name: 'Continue' })).toBeFocused();
}
