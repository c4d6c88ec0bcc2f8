import { formDefinitionSchema, type FormDefinition } from '@secure-forms/shared/form';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { CVV, TEST_CARDS } from '../../../../../fixtures/cards.js';
import './secure-form.js';
import { useLocale } from '../../localization.js';
import type { SecureForm } from './secure-form.component.js';

// Inline, not an example form: the digit fields (card, PIN, SSN, phone) beside text fields in one form, which no example has.
const FORM: FormDefinition = formDefinitionSchema.parse({
  id: 'mixed',
  version: 1,
  title: 'Mixed',
  fields: [
    { id: 'cardNumber', type: 'card-number', label: 'Card number' },
    { id: 'expiry', type: 'expiry', label: 'Expiry date' },
    { id: 'cvv', type: 'cvv', label: 'Security code (CVV)' },
    { id: 'pin', type: 'pin', label: 'PIN' },
    { id: 'ssn', type: 'ssn', label: 'Social Security number' },
    { id: 'phone', type: 'phone', label: 'Phone' },
    { id: 'word', type: 'secret-answer', label: 'Memorable word', masked: true },
    { id: 'postcode', type: 'text', label: 'Postcode' },
  ],
});

/** Mounted in a right-to-left page, as the frame is for an Arabic visitor. */
async function mountRtl(): Promise<SecureForm> {
  document.documentElement.dir = 'rtl';
  const el = document.createElement('secure-form');
  el.form = FORM;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const input = (el: SecureForm, id: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`#f-${id}`)!;

/** The on-screen left edge of each character of `text` inside `node`'s text, in reading order. */
function charLefts(node: Element): number[] {
  const walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
  const lefts: number[] = [];
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    for (let i = 0; i < text.textContent!.length; i++) {
      if (!/\S/.test(text.textContent![i]!)) continue;
      const range = document.createRange();
      range.setStart(text, i);
      range.setEnd(text, i + 1);
      lefts.push(range.getBoundingClientRect().left);
    }
  }
  return lefts;
}

afterEach(() => {
  document.documentElement.removeAttribute('dir');
  document.body.replaceChildren();
});

describe('<secure-form> in a right-to-left page', () => {
  it('lays out digits, dates and secrets left to right in their inputs; prose keeps the page direction', async () => {
    const el = await mountRtl();
    for (const id of ['cardNumber', 'expiry', 'cvv', 'pin', 'ssn', 'phone', 'word']) {
      expect(getComputedStyle(input(el, id)).direction, id).toBe('ltr');
    }
    expect(getComputedStyle(input(el, 'postcode')).direction).toBe('rtl');
  });

  it('shows the masked card number on the review step in its own order, first six digits leftmost', async () => {
    const el = await mountRtl();
    await userEvent.fill(page.getByLabelText('Card number'), TEST_CARDS.visa.number);
    await userEvent.fill(page.getByLabelText('Expiry date'), '12/35');
    await userEvent.fill(page.getByLabelText('Security code (CVV)'), CVV);
    await userEvent.fill(page.getByLabelText('PIN'), '1234');
    await userEvent.fill(page.getByLabelText('Social Security number'), '123-45-6789');
    await userEvent.fill(page.getByLabelText('Phone'), '+44 808 157 0192');
    await userEvent.fill(page.getByLabelText('Memorable word'), 'otter');
    await userEvent.fill(page.getByLabelText('Postcode'), 'SW1A 1AA');
    await userEvent.click(page.getByRole('button', { name: 'Continue' }));
    await expect.element(page.getByRole('heading', { name: 'Check your answers before sending' })).toBeVisible();

    const rows = [...el.shadowRoot!.querySelectorAll('[part~="review-row"]')];
    const value = (label: string) => rows.find((r) => r.querySelector('dt')!.textContent.trim() === label)!.querySelector('dd')!;
    for (const [label, text] of [
      ['Card number', `${TEST_CARDS.visa.digits.slice(0, 6)}••••••${TEST_CARDS.visa.lastFour}`],
      ['Expiry date', '12/35'],
      ['Phone', '+44 808 157 0192'],
    ] as const) {
      const dd = value(label);
      expect(dd.textContent.replace(/\s/g, ''), label).toBe(text.replace(/\s/g, ''));
      const lefts = charLefts(dd);
      // Read left to right on screen, the characters come in the order they were typed.
      expect(lefts, label).toEqual([...lefts].sort((a, b) => a - b));
    }
    // Hidden values (dots only) are isolated too, so the dots never mix with the page's text.
    for (const label of ['Security code (CVV)', 'PIN', 'Social Security number', 'Memorable word']) {
      expect(getComputedStyle(value(label).querySelector('[aria-hidden="true"]')!).direction, label).toBe('ltr');
    }
  });
});

describe('<secure-form> in Arabic', () => {
  afterEach(async () => {
    await useLocale('en');
  });

  it('keeps the example phone numbers of an error message in their order', async () => {
    await useLocale('ar');
    const el = await mountRtl();
    await userEvent.fill(page.getByLabelText('Phone'), 'x');
    await userEvent.click(page.getByRole('button', { name: 'متابعة' }));
    const message = el.shadowRoot!.querySelector('#f-phone-error')!;
    const text = message.textContent;
    const lefts = charLefts(message);
    const visible = text.replace(/\s/g, '');
    const at = (s: string) => lefts[visible.indexOf(s)]!;
    expect(at('01632')).toBeLessThan(at('960'));
    expect(at('960')).toBeLessThan(at('001'));
    expect(at('+44')).toBeLessThan(at('808'));
  });
});
