/**
 * What a visitor and an agent do in the demo, as steps a person would take: found by role and
 * accessible name, across the brand origin and the PCI frame.
 */
import { expect, type Browser, type Frame, type FrameLocator, type Page, type Request } from '@playwright/test';
import { frameSettled } from '@secure-forms/consumer-widget/testing';
import { CVV, TEST_CARDS } from '../fixtures/cards.js';
import { operatorTotp } from '../fixtures/totp.js';

export const DEMO_PASSWORD = process.env.E2E_DEMO_PASSWORD ?? '';
export const PCI_ORIGIN = `http://127.0.0.1:${process.env.E2E_PCI_PORT}`;
/** The demo managers' and admins' authentication codes: playwright.config.ts enrols them with this secret. */
export const DEMO_TOTP = operatorTotp(process.env.E2E_DEMO_TOTP_SECRET ?? '');

/** The card the round trips type, and how the frame's review and the panel mask it. */
export const CARD = { ...TEST_CARDS.visa, masked: '411111••••••1111', panelMasked: '•••• 1111 Visa' };
export const POSTCODE = 'SW1A 1AA';
export { CVV };

export interface OtkUse {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | null;
}

/** Every request that carried `Authorization: OTK …`, from any frame of the page. */
export function recordOtkUses(page: Page, into: OtkUse[]): void {
  page.on('request', (request: Request) => {
    const authorization = request.headers()['authorization'];
    if (authorization?.startsWith('OTK ')) {
      into.push({ url: request.url(), method: request.method(), headers: request.headers(), body: request.postData() });
    }
  });
}

export async function startChat(page: Page, visitorName: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Your name').fill(visitorName);
  await page.getByRole('button', { name: 'Start chat' }).click();
  await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
}

export async function signInAndTake(page: Page, username: string, visitorName: string, path = '/agent'): Promise<void> {
  await page.goto(path);
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeHidden();
  await page.getByRole('button', { name: `Take conversation with ${visitorName}` }).click();
  await expect(page.getByRole('heading', { name: `Conversation with ${visitorName}` })).toBeVisible();
}

export async function sendPaymentForm(agent: Page): Promise<void> {
  await agent.getByRole('button', { name: 'Send secure form' }).click();
}

/**
 * The path of the frame's document, or null while it has none yet: an iframe just attached has
 * the empty string for its URL until its first navigation commits, which `new URL` refuses
 * (a page's frames are listed at any moment, including that one).
 */
export function framePath(frame: Frame): string | null {
  return URL.canParse(frame.url()) ? new URL(frame.url()).pathname : null;
}

export function secureFrame(visitor: Page): FrameLocator {
  return visitor.frameLocator('iframe[title^="Secure form"]');
}

export async function openInvitation(visitor: Page): Promise<FrameLocator> {
  await visitor.getByRole('button', { name: 'Open secure form' }).click();
  const frame = secureFrame(visitor);
  await expect(frame.getByLabel('Card number')).toBeVisible();
  // The form shows in the frame before the host gives the iframe the form's height; as the frame's
  // viewport grows, the frame brings itself into view (frame.ts), which scrolls the chat transcript
  // and moves the form up. A click aimed at a field in between lands where the field was, on the
  // brand page, and the form never gets focus (the iframe moved during the click in 1 of 20 runs).
  // A person sees the form settle first; the test waits for it too (see frameSettled).
  await frameSettled(frame);
  return frame;
}

/** Fill the card form with the public test card and continue to the review step. */
export async function fillAndReview(frame: FrameLocator): Promise<void> {
  await frame.getByLabel('Card number').fill(CARD.number);
  await frame.getByLabel('Expiry date').fill('12/34');
  await frame.getByLabel('Name on the card').fill('Ada Lovelace');
  await frame.getByLabel('Billing postcode').fill(POSTCODE);
  await frame.getByLabel('Security code (CVV)').fill(CVV);
  // The form changes size as it is filled (hints, the card brand): the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
  await frame.getByRole('button', { name: 'Continue' }).click();
  await expect(frame.getByRole('heading', { name: 'Check your answers before sending' })).toBeFocused();
  // The review is shorter than the form: the frame takes its new size first (see frameSettled).
  await frameSettled(frame);
}

export async function fillAndSend(frame: FrameLocator): Promise<void> {
  await fillAndReview(frame);
  await frame.getByRole('button', { name: 'Send securely' }).click();
}

/**
 * A visitor and an agent in two separate browser contexts, talking in one conversation; the agent's
 * workspace at `agentPath` (e.g. `/agent?lang=ar`) and in `agentViewport` when given.
 */
export async function conversation(
  browser: Browser,
  visitorName: string,
  options: {
    agentPath?: string;
    agentViewport?: { width: number; height: number };
    /** Called on each page before it loads anything, e.g. to watch every response from the first. */
    onPage?: (page: Page) => void;
  } = {},
) {
  const visitorContext = await browser.newContext();
  const agentContext = await browser.newContext(options.agentViewport ? { viewport: options.agentViewport } : {});
  const visitor = await visitorContext.newPage();
  const agent = await agentContext.newPage();
  options.onPage?.(visitor);
  options.onPage?.(agent);
  await startChat(visitor, visitorName);
  await signInAndTake(agent, 'alice', visitorName, options.agentPath);
  return {
    visitor,
    agent,
    close: async () => {
      await visitorContext.close();
      await agentContext.close();
    },
  };
}
