// Browser measurements in headless Chromium (Playwright's library, the launch options of
// scripts/chromium.ts), over loopback:
//
// - open to interactive: from the visitor's click on "Open secure form" to the first field of the
//   form being focusable (present, enabled, rendered), in the real demo and in the floor (a static
//   form of the same fields in an iframe from the same server); cold (the first open in a fresh
//   browser context) and warm (a second open on the same page);
// - submit to revealed: from the visitor's click on "Send securely" to the agent's panel showing
//   the "Reveal Card number" button of that submission;
// - decrypt time per form: the real envelope code opening both parts of one card form.
//
// Times are taken inside the pages (performance.timeOrigin + performance.now(), one clock for
// every renderer on the machine) by an init script, so Playwright's own round trips add nothing.
import { stripVTControlCharacters } from 'node:util';
import { type Browser, type BrowserContext, type Locator, type Page, chromium } from 'playwright';
import { chromiumLaunchOptions } from '../chromium.ts';
import type { Agent } from './agent-setup.ts';
import { CARD, CVV, POSTCODE } from './api.ts';
import type { Bare, Demo } from './processes.ts';
import type { ColdWarm, Network } from './results.ts';

/** What the probe (below) adds to a page's window. */
declare global {
  interface Window {
    __benchLastClick?: number;
    __benchFieldAt?: number;
    __benchReport?: (report: { kind: 'click' | 'field'; t: number }) => void;
    __benchArm: (selector: string, text: string) => void;
    __benchArmed?: Promise<number>;
    /** Set by the decrypt page (bench/fixtures/decrypt-entry.js). */
    benchReady?: boolean;
    benchDecrypt: (iterations: number, warmup: number) => Promise<number[]>;
  }
}

/** Open-to-interactive samples in ms, demo and floor, cold and warm, and the runs left out. */
export interface OpenSeries {
  demo: ColdWarm<number[]>;
  floor: ColdWarm<number[]>;
  failures: string[];
}
/** The demo with the agent side the browser measurements use. */
type DemoWithAgent = Pick<Demo, 'brandOrigin' | 'password'> & Pick<Agent, 'api' | 'session' | 'keys'>;
/** The time of a frame's next report of a kind. */
type NextReport = (page: Page, kind: 'click' | 'field', timeoutMs?: number) => Promise<number>;
/** A context with the probe. */
interface ProbedContext {
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
async function emulateNetwork(context: BrowserContext, page: Page, network: Network): Promise<void> {
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
async function probedContext(browser: Browser): Promise<ProbedContext> {
  const context = await browser.newContext();
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

/** Click `button` and return ms from the click to the frame's first focusable field. */
async function clickToField(page: Page, button: Locator, nextField: (page: Page) => Promise<number>): Promise<number> {
  await button.waitFor({ state: 'visible' });
  // Let the page go idle first, so the measurement starts from a quiet page.
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 50))));
  await page.evaluate(() => (window.__benchLastClick = undefined));
  const field = nextField(page);
  await button.click();
  const fieldAt = await field;
  const clickAt = await page.evaluate(() => window.__benchLastClick);
  if (typeof clickAt !== 'number') throw new Error('the click was not seen by the page');
  return fieldAt - clickAt;
}

/** The visitor starts a chat; the agent (over HTTP) takes it and sends the card form. */
async function demoInvite(page: Page, demo: DemoWithAgent, name: string): Promise<string> {
  await page.goto(`${demo.brandOrigin}/`);
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await page.getByRole('textbox', { name: 'Message' }).waitFor();
  const conversation = (await demo.api.conversations(demo.session)).find((c) => c.visitorName === name);
  if (!conversation) throw new Error(`the agent does not see the conversation of ${name}`);
  await demo.api.assign(demo.session, conversation.id);
  await demo.api.invite(demo.session, conversation.id, demo.keys.publicJwk);
  return conversation.id;
}

/**
 * Open to interactive, `runs` times each: demo and floor, cold and warm, interleaved run by run so
 * both see the same machine. Cold: the first open in a fresh browser context (nothing cached, no
 * renderer for the frame's site yet). Warm: a second open on the same page (the demo: a second
 * form sent in the same chat; the floor: the button pressed again).
 * `network`: emulate that connection for demo and floor alike (launch with `sameProcessFrames`).
 */
export async function openToInteractive(
  browser: Browser,
  demo: DemoWithAgent,
  bare: Pick<Bare, 'origin' | 'floorOrigin'>,
  {
    runs,
    log = () => undefined,
    maxFailures = 5,
    network,
  }: { runs: number; log?: (line: string) => void; maxFailures?: number; network?: Network },
): Promise<OpenSeries> {
  const samples: Omit<OpenSeries, 'failures'> = { demo: { cold: [], warm: [] }, floor: { cold: [], warm: [] } };
  const floorUrl = `${bare.floorOrigin}/floor/?frame=${encodeURIComponent(bare.origin)}`;
  const failures: string[] = [];
  let visitors = 0;

  /** One measurement of `kind`: [cold, warm] ms. */
  async function once(kind: 'demo' | 'floor'): Promise<[number, number]> {
    const { context, nextField } = await probedContext(browser);
    const page = await context.newPage();
    const open = page.getByRole('button', { name: 'Open secure form' });
    try {
      if (network) await emulateNetwork(context, page, network);
      if (kind === 'floor') {
        await page.goto(floorUrl);
        return [await clickToField(page, open, nextField), await clickToField(page, open, nextField)];
      }
      const conversationId = await demoInvite(page, demo, `Bench visitor ${++visitors}`);
      const cold = await clickToField(page, open, nextField);
      await demo.api.invite(demo.session, conversationId, demo.keys.publicJwk);
      // The first invitation's button is gone once its form is open: this is the second one.
      return [cold, await clickToField(page, open, nextField)];
    } catch (error) {
      throw new Error(`${kind}: ${firstLine(error)}; the page showed: ${await describe(page)}`, { cause: error });
    } finally {
      await context.close();
    }
  }

  // One untimed round first: the servers' and the browser's first time is not what a visitor sees.
  for (let run = -1; run < runs;) {
    try {
      const order = run % 2 ? (['demo', 'floor'] as const) : (['floor', 'demo'] as const);
      const round = {} as Record<'demo' | 'floor', [number, number]>;
      for (const kind of order) round[kind] = await once(kind);
      if (run >= 0) {
        for (const kind of order) {
          samples[kind].cold.push(round[kind][0]);
          samples[kind].warm.push(round[kind][1]);
        }
        log(
          `  run ${run + 1}/${runs}: demo ${round.demo[0].toFixed(0)} / ${round.demo[1].toFixed(0)} ms, floor ${round.floor[0].toFixed(0)} / ${round.floor[1].toFixed(0)} ms (cold / warm)`,
        );
      }
      run++;
    } catch (error) {
      // A run that could not finish (on a busy machine, a timeout) is left out and run again.
      failures.push(error instanceof Error ? error.message : String(error));
      log(`  run ${run + 1} left out and run again: ${failures.at(-1)}`);
      giveUp(failures, run, maxFailures);
    }
  }
  return { ...samples, failures };
}

/** Stop retrying after `maxFailures`, or at once when not even the untimed first run ever worked. */
function giveUp(failures: string[], run: number, maxFailures: number): void {
  if (failures.length > maxFailures || (run < 0 && failures.length >= 2)) {
    throw new Error(`${failures.length} runs could not finish${run < 0 ? ' (none did)' : ''}; the last: ${failures.at(-1)}`);
  }
}

const firstLine = (error: unknown) =>
  stripVTControlCharacters(error instanceof Error ? error.message : String(error))
    .split('\n')[0]!
    .trim();

/** What a page shows, for a failure message: its status lines and the invitations' states. */
async function describe(page: Page): Promise<string> {
  try {
    return await page.evaluate(() =>
      JSON.stringify({
        status: document.querySelector('[role=status]')?.textContent?.trim() ?? null,
        invites: [...document.querySelectorAll('secure-form-invite')].map(
          (el) => `${el.getAttribute('state')}: ${el.shadowRoot?.textContent?.replace(/\s+/g, ' ').trim().slice(0, 120)}`,
        ),
      }),
    );
  } catch {
    return '(the page could not be read)';
  }
}

/** Submit to revealed, `runs` times: the real agent workspace and panel, the real chat and frame. */
export async function submitToRevealed(
  browser: Browser,
  demo: DemoWithAgent,
  { runs, log = () => undefined, maxFailures = 5 }: { runs: number; log?: (line: string) => void; maxFailures?: number },
): Promise<{ samples: number[]; failures: string[] }> {
  const visitorSide = await probedContext(browser);
  const agentSide = await probedContext(browser);
  const samples: number[] = [];
  const failures: string[] = [];
  try {
    const agent = await agentSide.context.newPage();
    await agent.goto(`${demo.brandOrigin}/agent`);
    await agent.getByLabel('Username').fill('alice');
    await agent.getByLabel('Password').fill(demo.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('heading', { name: 'Sign in' }).waitFor({ state: 'hidden' });
    const visitor = await visitorSide.context.newPage();
    let visitors = 0;
    for (let run = -1; run < runs;) {
      try {
        const ms = await revealOnce(visitor, agent, visitorSide, demo, `Bench reveal ${++visitors}`);
        if (run >= 0) {
          samples.push(ms);
          log(`  run ${run + 1}/${runs}: ${ms.toFixed(0)} ms`);
        }
        run++;
      } catch (error) {
        failures.push(`${firstLine(error)}; the chat showed: ${await describe(visitor)}`);
        log(`  run ${run + 1} left out and run again: ${failures.at(-1)}`);
        giveUp(failures, run, maxFailures);
      }
    }
  } finally {
    await visitorSide.context.close();
    await agentSide.context.close();
  }
  return { samples, failures };
}

/** One submit-to-revealed measurement in a new chat, taken by the signed-in agent. */
async function revealOnce(visitor: Page, agent: Page, visitorSide: ProbedContext, demo: DemoWithAgent, name: string): Promise<number> {
  await visitor.goto(`${demo.brandOrigin}/`);
  await visitor.getByLabel('Your name').fill(name);
  await visitor.getByRole('button', { name: 'Start chat' }).click();
  await visitor.getByRole('textbox', { name: 'Message' }).waitFor();
  await agent.getByRole('button', { name: `Take conversation with ${name}`, exact: true }).click();
  await agent.getByRole('heading', { name: `Conversation with ${name}`, exact: true }).waitFor();
  await agent.getByRole('button', { name: 'Send secure form' }).click();
  await visitor.getByRole('button', { name: 'Open secure form' }).click();
  const frame = visitor.frameLocator('iframe[title^="Secure form"]');
  await frame.getByLabel('Card number').fill(CARD.number);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Name on the card').fill('Ada Lovelace');
  await frame.getByLabel('Billing postcode').fill(POSTCODE);
  await frame.getByLabel('Security code (CVV)').fill(CVV);
  await frame.getByRole('button', { name: 'Continue' }).click();
  const send = frame.getByRole('button', { name: 'Send securely' });
  await send.waitFor();
  await agent.evaluate(() => window.__benchArm('button[part~="reveal-button"]', 'Reveal Card number'));
  const clicked = visitorSide.next(visitor, 'click');
  await send.click();
  const sentAt = await clicked;
  const revealableAt = (await agent.evaluate(() => window.__benchArmed))!;
  return revealableAt - sentAt;
}

/** Decrypt time per form, in ms, from the page the bench server serves (bench/fixtures/decrypt-entry.js). */
export async function decryptTimes(
  browser: Browser,
  bare: Pick<Bare, 'origin'>,
  { iterations = 200 }: { iterations?: number } = {},
): Promise<number[]> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${bare.origin}/decrypt`);
    await page.waitForFunction(() => window.benchReady === true);
    return await page.evaluate((n) => window.benchDecrypt(n, 20), iterations);
  } finally {
    await context.close();
  }
}
