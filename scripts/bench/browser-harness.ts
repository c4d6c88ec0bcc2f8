// The bench's browser harness, for the measurements of scripts/bench/browser.ts: headless
// Chromium (Playwright's library, the launch options of scripts/chromium.ts), Chromium's network
// emulation, and browser contexts with an in-page timing probe.
//
// Times are taken inside the pages (performance.timeOrigin + performance.now(), one clock for
// every renderer on the machine) by an init script, so Playwright's own round trips add nothing.
import { type Browser, type BrowserContext, type Page, chromium } from 'playwright';
import { chromiumLaunchOptions } from '../chromium.ts';
import type { Network } from './results.ts';

/** What the probe (below) adds to a page's window. */
declare global {
  interface Window {
    __benchLastClick?: number;
    __benchFieldAt?: number;
    __benchReport?: (report: { kind: 'click' | 'field'; t: number }) => void;
    __benchArm: (selector: string, text: string) => void;
    __benchArmed?: Promise<number>;
  }
}

/** The time of a frame's next report of a kind. */
export type NextReport = (page: Page, kind: 'click' | 'field', timeoutMs?: number) => Promise<number>;
/** A context with the probe. */
export interface ProbedContext {
  context: BrowserContext;
  next: NextReport;
  nextField: (page: Page) => Promise<number>;
}

/**
 * Runs in every page and frame before its own scripts. It records the time of the last click, and:
 * - in a frame (not the top page): watches for the first focusable form field and reports it once;
 * - on request (`__benchArm`): watches for a new element matching a selector and text.
 * Shadow roots are followed, open or closed (attachShadow is wrapped to see them).
 */
function probe() {
  const now = () => performance.timeOrigin + performance.now();
  const shadowOf = new WeakMap<Element, ShadowRoot>();
  const watchers = new Set<{ observe: (root: Node) => void }>();
  // Called below with the element as `this` (attach.call).
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const attach = Element.prototype.attachShadow;
  Element.prototype.attachShadow = function attachShadow(this: Element, init: ShadowRootInit) {
    const root = attach.call(this, init);
    shadowOf.set(this, root);
    for (const w of watchers) w.observe(root);
    return root;
  };
  addEventListener(
    'click',
    () => {
      const t = now();
      window.__benchLastClick = t;
      // A frame may be gone before anyone asks it (the form frame closes once sent): tell at once.
      if (window !== window.top) window.__benchReport?.({ kind: 'click', t });
    },
    true,
  );

  const elements = (root: Node, into: Element[] = []): Element[] => {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_ELEMENT);
    for (let node = walker.nextNode() as Element | null; node; node = walker.nextNode() as Element | null) {
      into.push(node);
      const shadow = node.shadowRoot ?? shadowOf.get(node);
      if (shadow) elements(shadow, into);
    }
    return into;
  };
  const shown = (el: Element) =>
    el.isConnected &&
    !el.matches(':disabled') &&
    !el.closest('[inert]') &&
    (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : el.getClientRects().length > 0) &&
    innerWidth > 0 &&
    innerHeight > 0;

  /** Call `done(time, element)` once `find()` returns an element: on any DOM change, and every 4 ms. */
  const watch = (find: () => Element | undefined, done: (t: number, el: Element) => void) => {
    let finished = false;
    const options = { subtree: true, childList: true, attributes: true };
    const check = () => {
      if (finished) return;
      const el = find();
      if (!el) return;
      const t = now();
      finished = true;
      observer.disconnect();
      clearInterval(timer);
      watchers.delete(watcher);
      done(t, el);
    };
    const observer = new MutationObserver(check);
    const watcher = { observe: (root: Node) => observer.observe(root, options) };
    observer.observe(document, options);
    for (const el of elements(document)) {
      const shadow = el.shadowRoot ?? shadowOf.get(el);
      if (shadow) observer.observe(shadow, options);
    }
    watchers.add(watcher);
    const timer = setInterval(check, 1);
    check();
  };

  if (window !== window.top) {
    watch(
      () => elements(document).find((el) => el.matches('input:not([type=hidden]), select, textarea') && shown(el)),
      (t) => {
        window.__benchFieldAt = t;
        window.__benchReport?.({ kind: 'field', t });
      },
    );
  }

  window.__benchArm = (selector, text) => {
    const norm = (s: string | null) => (s ?? '').replace(/\s+/g, ' ').trim();
    const matches = () => elements(document).filter((el) => el.matches(selector) && norm(el.textContent) === text);
    const before = new WeakSet(matches());
    window.__benchArmed = new Promise<number>((resolve) =>
      watch(
        () => matches().find((el) => !before.has(el) && shown(el)),
        (t) => resolve(t),
      ),
    );
  };
}

/**
 * A slow mobile connection, as Lighthouse's "Slow 4G" throttling: 150 ms round trip, 1.6 Mbit/s
 * down, 750 kbit/s up (Chromium's network emulation, per request, on top of loopback).
 */
export const SLOW_NETWORK: Network = { latencyMs: 150, downloadKbps: 1600, uploadKbps: 750 };

/**
 * Headless Chromium. `sameProcessFrames`: cross-site frames in the page's renderer process, so that
 * the page's network emulation (a DevTools setting of one renderer) covers the frame's requests
 * too; the real frame and the floor's are both cross-site, so both are measured the same way.
 */
export async function launch({ sameProcessFrames = false }: { sameProcessFrames?: boolean } = {}): Promise<Browser> {
  const options = chromiumLaunchOptions();
  const args = sameProcessFrames
    ? [...(options.args ?? []), '--disable-site-isolation-trials', '--disable-features=IsolateOrigins,site-per-process']
    : options.args;
  return chromium.launch({ ...options, args, headless: true });
}

/** Applies `network` (see SLOW_NETWORK) to every request of `page`'s renderer. */
export async function emulateNetwork(context: BrowserContext, page: Page, network: Network): Promise<void> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: network.latencyMs,
    downloadThroughput: (network.downloadKbps * 1000) / 8,
    uploadThroughput: (network.uploadKbps * 1000) / 8,
  });
}

/** A context with the probe, and a way to wait for the next report of a kind from a page's frames. */
export async function probedContext(browser: Browser): Promise<ProbedContext> {
  const context = await browser.newContext();
  // The bench runs under tsx, whose esbuild keeps function names by wrapping the probe's inner
  // functions in a `__name(fn, "name")` helper; Playwright sends the probe's source text to the
  // page, where that helper does not exist (tsx issue #113). A no-op stand-in, first.
  await context.addInitScript({ content: 'globalThis.__name ??= (fn) => fn;' });
  await context.addInitScript(probe);
  const waiting = new Map<string, (t: number) => void>();
  const key = (page: Page, kind: string) => `${kind}\u0000${pageIds.get(page) ?? ''}`;
  const pageIds = new WeakMap<Page, number>();
  let pages = 0;
  const idOf = (page: Page) => {
    if (!pageIds.has(page)) pageIds.set(page, ++pages);
    return pageIds.get(page);
  };
  await context.exposeBinding('__benchReport', ({ page }, report: { kind: string; t: number }) => {
    idOf(page);
    const k = key(page, report.kind);
    const resolve = waiting.get(k);
    if (resolve) {
      waiting.delete(k);
      resolve(report.t);
    }
  });
  /** The time of the next `kind` report ('field' or 'click') from a frame of `page`. */
  const next: NextReport = (page, kind, timeoutMs = 30_000) =>
    new Promise((resolve, reject) => {
      idOf(page);
      const k = key(page, kind);
      const timer = setTimeout(() => {
        waiting.delete(k);
        reject(new Error(`no ${kind} report from the frame within ${timeoutMs / 1000} s`));
      }, timeoutMs);
      waiting.set(k, (t) => {
        clearTimeout(timer);
        resolve(t);
      });
    });
  return { context, next, nextField: (page) => next(page, 'field') };
}
