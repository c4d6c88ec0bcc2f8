/**
 * One state's accessibility checks: axe over the whole page (frames included) at WCAG 2.2 A and
 * AA with the target-size rule on, reflow (no horizontal scrolling), and whatever scripted checks
 * the caller ran for the state. Inside a Playwright test, each state becomes a step with a
 * screenshot, the axe results and the checks attached, so the HTML report shows them per state;
 * failures are soft, so every state is reported before the test fails.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Frame, type Page } from '@playwright/test';

/** The axe tags the checks run: WCAG 2.0, 2.1 and 2.2, levels A and AA. */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** One scripted check and its outcome. */
export interface Check {
  name: string;
  passed: boolean;
  /** What was seen, said so that a tester can act on it. */
  detail: string;
}

/** What one state showed: axe's violations, one line each, and the scripted checks. */
export interface StateReport {
  state: string;
  violations: string[];
  checks: Check[];
}

export interface CheckStateOptions {
  /** Scripted checks already run for this state (focus, live regions, direction). */
  checks?: Check[];
  /** Limit axe to this CSS selector (e.g. `secure-form-panel`); the whole page when left out. */
  include?: string;
  /** Frames to check for reflow besides the page (the form's frame). */
  frames?: Frame[];
}

/** Playwright's messages carry terminal colour codes (ESC [ … m), which the HTML report would show raw. */
const COLOUR_CODES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

/**
 * Run an assertion as a named check: passed, or failed with the assertion's message. Playwright's
 * web-first assertions wait, so a check gives focus and live regions time to settle.
 */
export async function runCheck(name: string, assertion: () => Promise<unknown>): Promise<Check> {
  try {
    await assertion();
    return { name, passed: true, detail: 'as expected' };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { name, passed: false, detail: message.replace(COLOUR_CODES, '').split('\n').slice(0, 6).join('\n') };
  }
}

/** WCAG 1.4.10 Reflow: the document scrolls no wider than its viewport. */
async function reflowCheck(target: Page | Frame, what: string): Promise<Check> {
  const { scroll, viewport } = await target.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    viewport: document.documentElement.clientWidth,
  }));
  return {
    name: `reflow: ${what} does not scroll sideways`,
    passed: scroll <= viewport,
    detail: `content ${scroll} px wide in a ${viewport} px viewport`,
  };
}

/** Whether the caller is inside a Playwright test (the helper also works in a plain script). */
function inTest(): boolean {
  try {
    test.info();
    return true;
  } catch {
    return false;
  }
}

async function measure(page: Page, state: string, options: CheckStateOptions): Promise<StateReport> {
  // options() before withTags(): AxeBuilder.options() replaces the whole options object, so
  // `.withTags(...).options(...)` would silently drop the tags and run every rule.
  let axe = new AxeBuilder({ page }).options({ rules: { 'target-size': { enabled: true } } }).withTags(WCAG_TAGS);
  if (options.include) axe = axe.include(options.include);
  const results = await axe.analyze();
  const violations = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.replace(/\s+/g, ' ')}`).join(' | ')}`,
  );
  const checks = [...(options.checks ?? []), await reflowCheck(page, 'the page')];
  for (const frame of options.frames ?? []) checks.push(await reflowCheck(frame, 'the form'));
  return { state, violations, checks };
}

/**
 * Check one state and report it. In a Playwright test: a step named after the state, with a
 * screenshot of the viewport, the axe results and the checks attached, and a soft failure for each
 * violation or failed check (the test fails at its end, after every state is in the report).
 */
export async function checkState(page: Page, state: string, options: CheckStateOptions = {}): Promise<StateReport> {
  if (!inTest()) return measure(page, state, options);
  return test.step(state, async () => {
    const report = await measure(page, state, options);
    const info = test.info();
    await info.attach(`${state}: screenshot`, { body: await page.screenshot(), contentType: 'image/png' });
    await info.attach(`${state}: axe`, { body: JSON.stringify(report.violations, null, 2), contentType: 'application/json' });
    await info.attach(`${state}: checks`, { body: JSON.stringify(report.checks, null, 2), contentType: 'application/json' });
    expect.soft(report.violations, `axe violations on ${state}`).toEqual([]);
    for (const check of report.checks) expect.soft(check.passed, `${state}: ${check.name}: ${check.detail}`).toBe(true);
    return report;
  });
}
