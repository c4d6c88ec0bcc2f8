/**
 * The answers' markup on its own, rendered with lit into a plain element: masks and revealed
 * values, the buttons' names and what they call, deleted values, and the off-the-record notes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { render } from 'lit';
import { renderAnswers, type RevealView } from './answer-templates.js';
import type { Answered, RevealableField } from './invitation-ledger.js';
import { CVV, TEST_CARDS } from '../../../../../fixtures/cards.js';

const CARD_FIELD: RevealableField = {
  key: 'inv1:on-the-record:card',
  label: 'Card number',
  part: 'on-the-record',
  value: TEST_CARDS.visa.number,
  masked: '•••• 1111',
  card: { lastFour: '1111', brand: 'visa' },
};
const CVV_FIELD: RevealableField = { key: 'inv1:off-the-record:cvv', label: 'CVV', part: 'off-the-record', value: CVV, masked: '•••' };

function answered(fields: RevealableField[], more: Partial<Answered> = {}): Answered {
  return { status: 'ready', fields, offTheRecordExpiresAt: null, offTheRecordNote: null, leftOut: false, ...more };
}

/** A reveal view that records what the buttons call. */
function revealView(revealedKey: string | null = null): RevealView & { calls: string[] } {
  const calls: string[] = [];
  return {
    revealedKey,
    calls,
    toggle: (key) => void calls.push(`toggle ${key}`),
    copy: async (text) => void calls.push(`copy ${text}`),
  };
}

function show(reveal: RevealView, answers: Answered): HTMLElement {
  const root = document.body.appendChild(document.createElement('div'));
  render(renderAnswers(reveal, 'inv1', answers), root);
  return root;
}

const part = (root: HTMLElement, name: string) => [...root.querySelectorAll<HTMLElement>(`[part~="${name}"]`)];

afterEach(() => document.body.replaceChildren());

describe('renderAnswers', () => {
  it('masks a card as its last four and brand, spoken as hidden, with no digit of the value in the DOM', () => {
    const root = show(revealView(), answered([CARD_FIELD]));
    expect(part(root, 'answer-text')[0]!.textContent.replace(/\s+/g, ' ').trim()).toBe('•••• 1111 Visa');
    expect(part(root, 'answer-text')[0]!.getAttribute('aria-hidden')).toBe('true');
    expect(root.textContent).toContain('Hidden, Visa ending in 1111');
    expect(root.textContent).not.toContain('4111');
    expect(part(root, 'reveal-button')[0]!.getAttribute('aria-pressed')).toBe('false');
  });

  it('shows the revealed card in groups of four, left to right, with the toggle pressed', () => {
    const root = show(revealView(CARD_FIELD.key), answered([CARD_FIELD]));
    const text = part(root, 'answer-text')[0]!;
    expect([...text.querySelectorAll('.group')].map((g) => g.textContent)).toEqual(['4111', '1111', '1111', '1111']);
    expect(text.dir).toBe('ltr');
    expect(part(root, 'reveal-button')[0]!.getAttribute('aria-pressed')).toBe('true');
  });

  it('names the buttons after the field, and calls toggle with its key and copy with its value', () => {
    const reveal = revealView();
    const root = show(reveal, answered([CVV_FIELD]));
    expect(part(root, 'reveal-button')[0]!.textContent.trim()).toBe('Reveal CVV');
    expect(part(root, 'copy-button')[0]!.textContent.trim()).toBe('Copy CVV');
    part(root, 'reveal-button')[0]!.click();
    part(root, 'copy-button')[0]!.click();
    expect(reveal.calls).toEqual([`toggle ${CVV_FIELD.key}`, `copy ${CVV}`]);
    expect(part(root, 'off-the-record-badge')).toHaveLength(1);
    expect(part(root, 'answer-off-the-record')).toHaveLength(1);
  });

  it('says "Deleted" with no buttons for a dropped value, and why off-the-record answers are gone', () => {
    const root = show(revealView(), answered([{ ...CVV_FIELD, value: null }], { offTheRecordNote: 'deleted', leftOut: true }));
    expect(part(root, 'answer-deleted')[0]!.textContent).toBe('Deleted');
    expect(part(root, 'reveal-button')).toHaveLength(0);
    expect(part(root, 'off-the-record-note')[0]!.id).toBe('otr-inv1');
    expect(part(root, 'off-the-record-note')[0]!.textContent).toContain('deleted from this page');
    expect(part(root, 'left-out-note')).toHaveLength(1);
  });

  it('shows the countdown while off-the-record values are held', () => {
    const root = show(revealView(), answered([CVV_FIELD], { offTheRecordExpiresAt: Date.now() + 90_000 }));
    expect(part(root, 'countdown')[0]!.textContent).toMatch(/^Off-the-record answers are deleted from this page in .+\.$/);
  });
});
