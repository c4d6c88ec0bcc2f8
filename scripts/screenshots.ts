#!/usr/bin/env node
// The screenshots of the README's tour, taken from the real demo: the invitation in the chat, the
// form, its errors, the review step, the message after sending, and the agent's panel revealing a
// value. Writes docs/screenshots/*.png. Run with `npm run docs:screenshots` after `npm run build`.
//
// It starts its own demo server (fresh data directory, its own ports: SCREENSHOTS_PORT, default
// 19180, and SCREENSHOTS_PCI_PORT, default 19543) and stops it at the end. Everything that could
// change between runs is pinned: viewport and device scale, light colour scheme, reduced motion,
// no caret or transitions, locale en-GB, time zone UTC, and the clock: the server's Date reads the
// time from a file this script sets step by step (09:30 the form is sent, 09:31 opened, 09:34
// submitted), and both browsers run on Playwright's clock, which stops at a fixed moment before
// the pictures that show a countdown. The data is the public test card 4111 1111 1111 1111;
// nothing needs masking.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type Locator, type Page, chromium } from 'playwright';
import { chromiumLaunchOptions } from './chromium.ts';
import { CVV, TEST_CARDS } from '../fixtures/cards.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'docs/screenshots');
const PORT = Number(process.env.SCREENSHOTS_PORT || 19180);
const PCI_PORT = Number(process.env.SCREENSHOTS_PCI_PORT || 19543);
const BRAND = `http://localhost:${PORT}`;
const CLOCK_START = Date.parse('2025-06-02T09:30:00Z');

const CARD = TEST_CARDS.visa.number;
const POSTCODE = 'SW1A 1AA';
const VISITOR = 'Vera Visitor';

/**
 * Replaces Date in the server process with one that stands still at the time (epoch ms) written in
 * SCREENSHOTS_CLOCK_FILE: the times the server records are the ones this script chose.
 */
const CLOCK_MODULE = `
import { readFileSync } from 'node:fs';
const file = process.env.SCREENSHOTS_CLOCK_FILE;
const now = () => Number(readFileSync(file, 'utf8'));
const RealDate = globalThis.Date;
class ScriptedDate extends RealDate {
  constructor(...args) { if (args.length === 0) super(now()); else super(...args); }
  static now() { return now(); }
}
globalThis.Date = ScriptedDate;
`;

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function waitForServer(url: string, server: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`The demo server exited with code ${server.exitCode}.`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The demo server did not answer ${url} within ${timeoutMs / 1000} s.`);
}

function startServer(password: string, dataDir: string, clockFile: string): ChildProcess {
  // The production start (demo/server/start.sh execs node on the compiled server); its arguments are node options.
  const server = spawn('sh', ['demo/server/start.sh', '--import', `data:text/javascript,${encodeURIComponent(CLOCK_MODULE)}`], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      PCI_PORT: String(PCI_PORT),
      SECURE_FORMS_DATA_DIR: dataDir,
      SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
      SECURE_FORMS_DEMO_PASSWORD: password,
      SCREENSHOTS_CLOCK_FILE: clockFile,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  server.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  server.on('exit', (code) => {
    if (code && stderr) process.stderr.write(stderr);
  });
  return server;
}

async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null) return;
  const exited = new Promise((resolve) => server.once('exit', resolve));
  server.kill('SIGTERM');
  const timer = setTimeout(() => server.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

const CONTEXT = {
  deviceScaleFactor: 1,
  colorScheme: 'light' as const,
  reducedMotion: 'reduce' as const,
  forcedColors: 'none' as const,
  locale: 'en-GB',
  timezoneId: 'UTC',
};

/** An element's picture, without caret or running animations. */
async function shoot(locator: Locator, name: string): Promise<void> {
  await locator.page().evaluate(() => window.scrollTo(0, 0));
  await locator.screenshot({ path: join(OUT, `${name}.png`), animations: 'disabled', caret: 'hide' });
  log(`  docs/screenshots/${name}.png`);
}

/** What the demo serves, built by `npm run build`. */
const BUILT = [
  'packages/consumer-widget/dist/loader/secure-forms-loader.iife.js',
  'packages/consumer-widget/dist/frame/index.html',
  'packages/agent-panel/dist/secure-form-panel.js',
  'demo/pages/dist/index.html',
  'demo/pages/dist/agent.html',
];

async function main(): Promise<void> {
  const missing = BUILT.filter((file) => !existsSync(join(ROOT, file)));
  if (missing.length > 0) throw new Error(`Run \`npm run build\` first: ${missing.join(', ')} not built.`);
  mkdirSync(OUT, { recursive: true });
  const password = `docs${randomBytes(12).toString('base64url')}7`;
  const workDir = mkdtempSync(join(tmpdir(), 'secure-forms-screenshots-'));
  const dataDir = join(workDir, 'data');
  const clockFile = join(workDir, 'clock');
  /** Set the server's clock to `minutes` after CLOCK_START. */
  const serverTime = (minutes: number) => writeFileSync(clockFile, String(CLOCK_START + minutes * 60_000));
  serverTime(0);
  for (const url of [`${BRAND}/demo-config.json`, `http://127.0.0.1:${PCI_PORT}/v1/openapi.json`]) {
    if (
      await fetch(url).then(
        () => true,
        () => false,
      )
    ) {
      throw new Error(`Something already answers ${url}. Stop it, or choose other ports with SCREENSHOTS_PORT and SCREENSHOTS_PCI_PORT.`);
    }
  }
  const server = startServer(password, dataDir, clockFile);
  let browser: Browser | undefined;
  /** Page errors and console errors, printed when a step fails. */
  const problems: string[] = [];
  let pages: Page[] = [];
  try {
    await waitForServer(`${BRAND}/demo-config.json`, server);
    browser = await chromium.launch(chromiumLaunchOptions());

    // The visitor: the brand's chat page, wide enough for the form to open inline (over 40rem), and
    // tall enough to hold the whole frame: Chromium does not paint a cross-origin frame outside the
    // viewport, so a frame taller than the viewport would come out cut.
    const visitorContext = await browser.newContext({ ...CONTEXT, viewport: { width: 800, height: 1600 }, baseURL: BRAND });
    // The agent: the workspace, with the panel beside the queue.
    const agentContext = await browser.newContext({ ...CONTEXT, viewport: { width: 1040, height: 900 }, baseURL: BRAND });
    // Both browsers start at the server's time and then run (a little behind the server, never ahead).
    for (const context of [visitorContext, agentContext]) await context.clock.install({ time: CLOCK_START });
    const visitor = await visitorContext.newPage();
    const agent = await agentContext.newPage();
    for (const [who, page] of [
      ['visitor', visitor],
      ['agent', agent],
    ] as const) {
      page.on('pageerror', (error) => problems.push(`${who} page error: ${error.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${who}: HTTP ${response.status()} for ${new URL(response.url()).pathname}`);
      });
      page.on('console', (message) => {
        // The demo has no favicon; its 404 is noise.
        if (message.type() === 'error' && !message.location().url.endsWith('/favicon.ico'))
          problems.push(`${who} console: ${message.text()}`);
      });
    }
    pages = [visitor, agent];

    log('Taking screenshots:');
    await visitor.goto('/');
    const defined = await visitor
      .waitForFunction(() => !!customElements.get('secure-form-invite'), null, { timeout: 10_000 })
      .then(
        () => true,
        () => false,
      );
    if (!defined) throw new Error('The chat page loaded, but the loader did not define <secure-form-invite>: check the loader bundle.');
    await visitor.getByLabel('Your name').fill(VISITOR);
    await visitor.getByRole('button', { name: 'Start chat' }).click();
    await visitor.getByRole('textbox', { name: 'Message' }).waitFor();

    await agent.goto('/agent');
    await agent.getByLabel('Username').fill('alice');
    await agent.getByLabel('Password').fill(password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('button', { name: `Take conversation with ${VISITOR}` }).click();
    await agent.getByRole('heading', { name: `Conversation with ${VISITOR}` }).waitFor();
    await agent.getByRole('textbox', { name: 'Message' }).fill('Hello Vera, I can take that payment now. I am sending you a secure form.');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await agent.getByRole('button', { name: 'Send secure form' }).click();

    // 1. The invitation in the visitor's chat.
    const chat = visitor.locator('#chat-window');
    await visitor.getByRole('button', { name: 'Open secure form' }).waitFor();
    await visitor.getByText('Hello Vera').waitFor();
    await visitor.locator('#message').blur();
    await shoot(chat, 'invitation');

    // 2. The form, open inline below the invitation. The transcript scrolls at 32rem; let it grow
    //    so the whole form shows. (Through the CSSOM: the page's CSP refuses an injected <style>.)
    await visitor.locator('.transcript-log').evaluate((el) => {
      el.style.maxHeight = 'none';
    });
    serverTime(1);
    const viewed = visitor.waitForResponse((r) => r.url().endsWith('/v1/forms/view') && r.ok());
    await visitor.getByRole('button', { name: 'Open secure form' }).click();
    const frame = visitor.frameLocator('iframe[title^="Secure form"]');
    await frame.getByLabel('Card number').waitFor();
    // Stop the visitor's clock 10 s after the form loaded: "29 minutes left" on every run. (From
    // here on, nothing waits on the page's own timers: Playwright's actions run in their own world.)
    const { submitDeadline } = (await (await viewed).json()) as { submitDeadline: string };
    await visitorContext.clock.pauseAt(Date.parse(submitDeadline) - 1790_000);
    const iframe = visitor.locator('iframe[title^="Secure form"]');
    const shootForm = async (name: string) => {
      // Until the frame has reported its height and the host applied it (polled from here: the
      // page's own timers are stopped).
      let last = '';
      for (let stable = 0; stable < 3;) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        const height = await visitor.evaluate(
          () => document.querySelector('secure-form-invite')?.shadowRoot?.querySelector('iframe')?.style.height ?? '',
        );
        stable = height !== '' && height === last ? stable + 1 : 0;
        last = height;
      }
      await shoot(iframe, name);
    };
    await shootForm('form');

    // 3. Errors: a card number that fails the Luhn check, no postcode, a CVV too short.
    await frame.getByLabel('Card number').fill('4111 1111 1111 1112');
    await frame.getByLabel('Security code (CVV)').fill('73');
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByRole('heading', { name: 'There is a problem' }).waitFor();
    await visitor.mouse.move(0, 0);
    await shootForm('errors');

    // 4. The review step: the card number masked, the CVV hidden.
    await frame.getByLabel('Card number').fill(CARD);
    await frame.getByLabel('Expiry date').fill('12/34');
    await frame.getByLabel('Name on the card').fill('Ada Lovelace');
    await frame.getByLabel('Billing postcode').fill(POSTCODE);
    await frame.getByLabel('Security code (CVV)').fill(CVV);
    await frame.getByRole('button', { name: 'Continue' }).click();
    await frame.getByRole('heading', { name: 'Check your answers before sending' }).waitFor();
    await shootForm('review');

    serverTime(4);
    // 5. Sent: the frame closes, the invitation says so; the chat only got a status line.
    const retrieved = agent.waitForResponse((r) => /\/v1\/submissions\/[^/]+\/retrieve$/.test(r.url()) && r.ok());
    await frame.getByRole('button', { name: 'Send securely' }).click();
    await visitor.getByText('Sent securely').waitFor();
    await visitor.getByText('Secure form viewed by the agent').waitFor();
    await shoot(chat, 'sent');

    // 6. The agent's panel: the answers arrived, decrypted in the agent's browser, shown masked;
    //    the card number revealed. The agent's clock stops 10 s after the submission, so the
    //    countdown of the off-the-record CVV reads the same on every run.
    const retrieval = (await (await retrieved).json()) as { offTheRecordExpiresAt?: string | null };
    const panel = agent.locator('secure-form-panel');
    await panel.getByText('•••• 1111 Visa').waitFor();
    if (retrieval.offTheRecordExpiresAt) {
      await agentContext.clock.pauseAt(Date.parse(retrieval.offTheRecordExpiresAt) - 290_000);
    }
    await panel.getByRole('button', { name: 'Reveal Card number' }).click();
    await panel.getByText(/4111 ?1111 ?1111 ?1111/).waitFor();
    await agent.mouse.move(0, 0);
    await shoot(panel, 'panel-reveal');
    // The same answers masked, at 320 CSS px: one row per answer still, buttons never wrapping.
    await panel.getByRole('button', { name: 'Reveal Card number', pressed: true }).click();
    await agent.setViewportSize({ width: 320, height: 900 });
    await shoot(panel, 'panel-320');

    await visitorContext.close();
    await agentContext.close();
  } catch (error) {
    for (const [i, page] of pages.entries()) {
      const file = join(tmpdir(), `secure-forms-screenshots-failed-${i === 0 ? 'visitor' : 'agent'}.png`);
      if (
        await page.screenshot({ path: file, fullPage: true }).then(
          () => true,
          () => false,
        )
      )
        problems.push(`the page as it was: ${file}`);
    }
    if (problems.length > 0) process.stderr.write(`${problems.join('\n')}\n`);
    throw error;
  } finally {
    await browser?.close();
    await stopServer(server);
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
