// Browser measurements in headless Chromium over loopback, on the harness of browser-harness.ts
// (launch, network emulation, contexts with the in-page timing probe):
//
// - open to interactive: from the visitor's click on "Open secure form" to the first field of the
//   form being focusable (present, enabled, rendered), in the real demo and in the floor (a static
//   form of the same fields in an iframe from the same server); cold (the first open in a fresh
//   browser context) and warm (a second open on the same page);
// - submit to revealed: from the visitor's click on "Send securely" to the agent's panel showing
//   the "Reveal Card number" button of that submission;
// - decrypt time per form: the real envelope code opening both parts of one card form.
import { stripVTControlCharacters } from 'node:util';
import type { Browser, Locator, Page } from 'playwright';
import type { Agent } from './agent-setup.ts';
import { CARD, CVV, POSTCODE } from './api.ts';
import { type ProbedContext, emulateNetwork, probedContext } from './browser-harness.ts';
import type { Bare, Demo } from './processes.ts';
import type { ColdWarm, Network } from './results.ts';

/** What the decrypt page (bench/fixtures/decrypt-entry.js) adds to its window. */
declare global {
  interface Window {
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
export type DemoWithAgent = Pick<Demo, 'brandOrigin' | 'password'> & Pick<Agent, 'api' | 'session' | 'keys'>;

/** Click `button` and return ms from the click to the frame's first focusable field. */
export async function clickToField(page: Page, button: Locator, nextField: (page: Page) => Promise<number>): Promise<number> {
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
export async function demoInvite(page: Page, demo: DemoWithAgent, name: string): Promise<string> {
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
