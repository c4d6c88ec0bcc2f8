/**
 * How the panel shows each answer: one compact row, icon buttons with full names, a card as its
 * last four and brand when masked and in printed groups when revealed, masks read as "hidden",
 * one Reveal label with aria-pressed, digits left to right in Arabic, the countdown for screen
 * readers, and the rows at 320 and 1280 px.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { page } from 'vitest/browser';
import axe from 'axe-core';
import './secure-form-panel.js';
import type { SecureFormPanel } from './secure-form-panel.component.js';
import { CARD, CID, CVV, FakeBackend, PCI, SESSION, sealedReply, submissionEvent, type Sealing, CARD_FORM } from './panel-test-support.js';

let backend: FakeBackend;

beforeEach(() => {
  backend = new FakeBackend();
  vi.spyOn(globalThis, 'fetch').mockImplementation((input, init) => backend.fetch(input, init));
});

afterEach(async () => {
  document.body.replaceChildren();
  vi.restoreAllMocks();
  await page.viewport(1280, 800);
});

/** Mount, send the card payment and show its answers. */
async function answers(locale = 'en', sealing: Sealing = {}): Promise<SecureFormPanel> {
  const el = document.createElement('secure-form-panel');
  el.setAttribute('pci-origin', PCI);
  el.setAttribute('conversation-id', CID);
  el.setAttribute('locale', locale);
  el.session = SESSION;
  document.body.append(el);
  const send = () => el.shadowRoot?.querySelector<HTMLButtonElement>('[part="send-button"]');
  await vi.waitFor(() => expect(send()).toBeTruthy());
  send()!.click();
  await vi.waitFor(() => expect(backend.publicKey).toBeTruthy());
  const reply = await sealedReply(backend, sealing);
  backend.retrieveReplies = [() => reply];
  backend.push(submissionEvent());
  await expect.element(page.getByText('•••• 1111')).toBeVisible();
  return el;
}

function row(el: SecureFormPanel, label: string): HTMLElement {
  const rows = [...(el.shadowRoot?.querySelectorAll<HTMLElement>('[part~="answer"]') ?? [])];
  return rows.find((r) => r.querySelector('dt')?.textContent?.includes(label))!;
}

/** The left edges of the digit groups in a row's value, in DOM order. */
function groupLefts(el: SecureFormPanel, label: string): number[] {
  return [...row(el, label).querySelectorAll('.group')].map((g) => g.getBoundingClientRect().left);
}

async function expectNoAxeViolations(el: Element): Promise<void> {
  const result = await axe.run(el, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
  expect(result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}

describe('<secure-form-panel> answers', () => {
  it('shows a masked card as its last four and brand, read as hidden, and revealed in printed groups', async () => {
    const el = await answers();
    const card = row(el, 'Card number');
    const masked = card.querySelector('[part="answer-text"]')!;
    expect(masked.textContent?.replace(/\s+/g, ' ').trim()).toBe('•••• 1111 Visa');
    expect(masked.getAttribute('aria-hidden')).toBe('true');
    await expect.element(page.getByText('Hidden, Visa ending in 1111')).toBeInTheDocument();
    // The CVV and expiry: bullets hidden from screen readers, "Hidden" read instead.
    expect(row(el, CARD_FORM.cvv).querySelector('[part="answer-text"]')?.getAttribute('aria-hidden')).toBe('true');
    expect(row(el, CARD_FORM.cvv).textContent).toContain('Hidden');

    const reveal = page.getByRole('button', { name: 'Reveal Card number', exact: true });
    await expect.element(reveal).toHaveAttribute('aria-pressed', 'false');
    await reveal.click();
    // One name; the state is aria-pressed alone.
    await expect.element(reveal).toHaveAttribute('aria-pressed', 'true');
    expect(page.getByRole('button', { name: /Hide/ }).query()).toBeNull();
    const shown = card.querySelector('[part="answer-text"]')!;
    expect(shown.textContent?.replace(/\s+/g, ' ').trim()).toBe(CARD);
    expect(shown.getAttribute('aria-hidden')).toBeNull();
    expect(card.querySelectorAll('.group')).toHaveLength(4);
    await expectNoAxeViolations(el);
  });

  it('has icon buttons with full names, one row per answer at 1280 px, and no wrapping text buttons at 320 px', async () => {
    await page.viewport(1280, 800);
    const el = await answers();
    for (const name of ['Reveal Card number', 'Copy Card number', `Reveal ${CARD_FORM.cvv}`, `Copy ${CARD_FORM.cvv}`]) {
      const button = page.getByRole('button', { name, exact: true }).element();
      expect(button.querySelector('svg')).toBeTruthy();
      expect(button.getBoundingClientRect().height).toBeLessThan(50);
    }
    const top = (r: HTMLElement, sel: string) => r.querySelector(sel)!.getBoundingClientRect().top;
    const card = row(el, 'Card number');
    // Label, value and actions on one line.
    expect(Math.abs(top(card, 'dt') - top(card, '[part="reveal-button"]'))).toBeLessThan(16);

    await page.viewport(320, 700);
    await expect.poll(() => el.getBoundingClientRect().width).toBeLessThanOrEqual(320);
    for (const button of el.shadowRoot!.querySelectorAll<HTMLElement>('[part="reveal-button"], [part="copy-button"]')) {
      const box = button.getBoundingClientRect();
      expect(box.height).toBeLessThan(50);
      expect(box.width).toBeGreaterThanOrEqual(24);
      expect(box.right).toBeLessThanOrEqual(320);
    }
    // Nothing sticks out sideways.
    expect(el.shadowRoot!.querySelector('[part="base"]')!.scrollWidth).toBeLessThanOrEqual(el.getBoundingClientRect().width);
    await expectNoAxeViolations(el);
  });

  it('lays out masked and revealed digit groups left to right in Arabic', async () => {
    const el = await answers('ar');
    expect(el.shadowRoot?.querySelector('[part="base"]')?.getAttribute('dir')).toBe('rtl');
    const masked = groupLefts(el, 'Card number');
    expect(masked).toHaveLength(2);
    expect(masked[0]).toBeLessThan(masked[1]!);
    row(el, 'Card number').querySelector<HTMLButtonElement>('[part="reveal-button"]')!.click();
    await vi.waitFor(() => expect(groupLefts(el, 'Card number')).toHaveLength(4));
    const revealed = groupLefts(el, 'Card number');
    expect([...revealed].sort((a, b) => a - b)).toEqual(revealed);
    await expectNoAxeViolations(el);
  });

  it('tells screen readers the off-the-record countdown at 60 seconds left, not every second', async () => {
    const el = await answers('en', { offTheRecordExpiresAt: new Date(Date.now() + 61_500).toISOString() });
    const live = () => el.shadowRoot?.querySelector('[part="live-region"]')?.textContent ?? '';
    await expect.poll(live).toBe('Answers ready');
    await expect.poll(live, { timeout: 4000 }).toBe('Off-the-record answers are deleted in 60 seconds');
    await new Promise((r) => setTimeout(r, 1500));
    expect(live()).toBe('Off-the-record answers are deleted in 60 seconds');
    // The on-screen countdown is not a live region.
    expect(el.shadowRoot?.querySelector('[part="countdown"]')?.closest('[aria-live]')).toBeNull();
    void CVV;
  });
});
