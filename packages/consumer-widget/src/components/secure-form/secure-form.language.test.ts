import { formDefinitionSchema, type FormDefinition } from '@secure-forms/shared/form';
import { afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { TEST_CARDS } from '../../../../../fixtures/cards.js';
import { useLocale } from '../../localization.js';
import './secure-form.js';
import type { SecureForm } from './secure-form.component.js';

// Inline, not an example form: labels translated into Arabic beside untranslated ones, which no example has.
const FORM: FormDefinition = formDefinitionSchema.parse({
  id: 'half-translated',
  version: 1,
  title: 'Half translated',
  fields: [
    { id: 'cardNumber', type: 'card-number', label: { en: 'Card number', translations: { ar: 'رقم البطاقة' } } },
    { id: 'postcode', type: 'text', label: 'Billing postcode', hint: 'As it appears on your card statement' },
    { id: 'note', type: 'text', label: 'Note', required: false },
    {
      id: 'account',
      type: 'select',
      label: { en: 'Account', translations: { ar: 'الحساب' } },
      options: [{ value: 'current', label: 'Current account' }],
    },
  ],
});

async function mount(locale: string): Promise<SecureForm> {
  await useLocale(locale);
  const el = document.createElement('secure-form');
  el.form = FORM;
  el.locale = locale;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

/** The language an element's text is in: its own `lang` or its nearest ancestor's, in the shadow tree. */
function langOf(node: Element): string {
  for (let e: Element | null = node; e; e = e.parentElement) if (e.hasAttribute('lang')) return e.getAttribute('lang')!;
  return 'page';
}

/** The innermost element holding `text` in `root`. */
function holder(root: ParentNode, text: string): Element {
  const all = [...root.querySelectorAll('*')].filter((e) => e.textContent.includes(text));
  return all.find((e) => ![...e.children].some((c) => c.textContent.includes(text)))!;
}

afterEach(async () => {
  document.body.replaceChildren();
  await useLocale('en');
});

describe('<secure-form> with a form not wholly translated', () => {
  it('marks each English fallback (label, hint, option) with lang="en" and leaves the translated ones in the page language', async () => {
    const el = await mount('ar');
    const root = el.shadowRoot!;
    expect(langOf(holder(root, 'Billing postcode'))).toBe('en');
    expect(langOf(holder(root, 'As it appears on your card statement'))).toBe('en');
    expect(langOf(holder(root, 'Current account'))).toBe('en');
    expect(langOf(holder(root, 'رقم البطاقة'))).toBe('page');
    // "Note (optional)" in Arabic: the label in English, the rest in Arabic.
    const optional = root.querySelector('label[for="f-note"]')!;
    expect(langOf(holder(optional, 'Note'))).toBe('en');
    expect(langOf(holder(optional, 'اختياري'))).toBe('page');
  });

  it('builds error messages with the English label in its own lang-marked span', async () => {
    const el = await mount('ar');
    await userEvent.click(page.getByRole('button', { name: 'متابعة' }));
    const root = el.shadowRoot!;
    const inline = root.querySelector('#f-postcode-error')!;
    expect(langOf(holder(inline, 'Billing postcode'))).toBe('en');
    expect(inline.textContent).toMatch(/أدخل/);
    const link = [...root.querySelectorAll('[part="error-summary-list"] a')].find((a) => a.textContent.includes('Billing postcode'))!;
    expect(langOf(holder(link, 'Billing postcode'))).toBe('en');
  });

  it('marks nothing in English when the page is English', async () => {
    const el = await mount('en');
    expect(el.shadowRoot!.querySelector('[lang]')).toBeNull();
    await userEvent.click(page.getByRole('button', { name: 'Continue' }));
    await expect.element(page.getByRole('link', { name: 'Enter Billing postcode' })).toBeVisible();
    expect(el.shadowRoot!.querySelector('[lang]')).toBeNull();
  });

  it('marks the English label on the review step and in its Change link', async () => {
    const el = await mount('ar');
    await userEvent.fill(page.getByLabelText('رقم البطاقة'), TEST_CARDS.visa.number);
    await userEvent.fill(page.getByLabelText('Billing postcode'), 'SW1A 1AA');
    await userEvent.selectOptions(page.getByLabelText('الحساب'), 'current');
    await userEvent.click(page.getByRole('button', { name: 'متابعة' }));
    const review = el.shadowRoot!.querySelector('[part~="review"]')!;
    await expect.poll(() => review.isConnected).toBe(true);
    const dt = [...review.querySelectorAll('dt')].find((d) => d.textContent.includes('Billing postcode'))!;
    expect(langOf(holder(dt, 'Billing postcode'))).toBe('en');
    const change = [...review.querySelectorAll('[part~="change-link"]')].find((a) => a.textContent.includes('Billing postcode'))!;
    expect(langOf(holder(change, 'Billing postcode'))).toBe('en');
    const dd = [...review.querySelectorAll('[part~="review-row"]')].find((r) => r.textContent.includes('Current account'))!;
    expect(langOf(holder(dd, 'Current account'))).toBe('en');
  });
});
