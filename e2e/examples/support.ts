/**
 * What the examples' end-to-end specs share: the chat UIs, a visitor and an agent in their own
 * browsers, axe's WCAG scan, the policy-violation watch.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Browser, ConsoleMessage, Page } from '@playwright/test';

export const CHAT_UIS = [
  { name: 'the brand’s own chat page', path: '/' },
  { name: 'deep-chat', path: '/deep-chat' },
  { name: 'chatscope’s React chat', path: '/chatscope' },
];

const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

/** axe's WCAG 2.2 A and AA violations on the whole page, frames and open shadow roots included. */
export async function axeViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  return results.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** Collect the page's CSP and Trusted Types violations, and its uncaught errors, into `into`. */
export function watchPolicyViolations(page: Page, into: string[]): void {
  page.on('console', (message: ConsoleMessage) => {
    if (/Content Security Policy|Trusted Type|TrustedHTML/i.test(message.text())) into.push(message.text());
  });
  page.on('pageerror', (error) => into.push(error.message));
}

/** A visitor and an agent, each in a browser context of their own, their pages' violations collected into `violations`. */
export async function visitorAndAgent(browser: Browser, violations: string[]) {
  const visitorContext = await browser.newContext();
  const agentContext = await browser.newContext();
  const visitor = await visitorContext.newPage();
  const agent = await agentContext.newPage();
  watchPolicyViolations(visitor, violations);
  watchPolicyViolations(agent, violations);
  return {
    visitor,
    agent,
    async close() {
      await visitorContext.close();
      await agentContext.close();
    },
  };
}
