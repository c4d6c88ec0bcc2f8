import { formDefinitionSchema, type FormDefinition } from '@secure-forms/shared/form';
import { detectCardBrand, formatCardNumber, luhnValid, normalizeCardNumber, validateField } from '@secure-forms/shared/validators';
import { afterEach, describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../../../../fixtures/cards.js';
import { page, userEvent } from 'vitest/browser';
import './secure-form.js';
import type { SecureForm } from './secure-form.component.js';

/** The networks' public test numbers, one per network: typed as printed, its brand, its grouping. */
const TEST_CARD_ROWS = Object.values(TEST_CARDS).map(({ number, brand }) => [number, brand, number] as const);

// Inline, not an example form: every field type in one form, which no example has.
const ALL_TYPES: FormDefinition = formDefinitionSchema.parse({
  id: 'all-types',
  version: 1,
  title: 'Every field',
  fields: [
    { id: 'cardNumber', type: 'card-number', label: 'Card number' },
    { id: 'expiry', type: 'expiry', label: 'Expiry date' },
    { id: 'cvv', type: 'cvv', label: 'Security code' },
    { id: 'name', type: 'cardholder-name', label: 'Name on card' },
    { id: 'ssn', type: 'ssn', label: 'Social Security number' },
    { id: 'pin', type: 'pin', label: 'PIN' },
    { id: 'secret', type: 'secret-answer', label: 'Memorable word', masked: true },
    { id: 'note', type: 'text', label: 'Note', required: false },
    { id: 'amount', type: 'number', label: 'Amount' },
    { id: 'email', type: 'email', label: 'Email' },
    { id: 'phone', type: 'phone', label: 'Phone' },
    { id: 'born', type: 'date', label: 'Date of birth' },
    {
      id: 'reason',
      type: 'select',
      label: { en: 'Reason', translations: { es: 'Motivo' } },
      options: [
        { value: 'refund', label: { en: 'Refund', translations: { es: 'Reembolso' } } },
        { value: 'other', label: 'Other' },
      ],
    },
    { id: 'agree', type: 'yes-no', label: 'Do you agree' },
    { id: 'confirm', type: 'checkbox', label: 'I confirm' },
  ],
});

async function mount(form = ALL_TYPES, locale = 'en'): Promise<SecureForm> {
  const el = document.createElement('secure-form');
  el.form = form;
  el.locale = locale;
  document.body.append(el);
  await el.updateComplete;
  return el;
}
const input = (el: SecureForm, id: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`#f-${id}`)!;

afterEach(() => document.body.replaceChildren());

describe('card numbers: the networks public test numbers', () => {
  it.each(TEST_CARD_ROWS)('%s passes Luhn, is %s, and groups as %s', (typed, brand, grouped) => {
    const digits = normalizeCardNumber(typed);
    expect(luhnValid(digits)).toBe(true);
    expect(detectCardBrand(typed)).toBe(brand);
    expect(formatCardNumber(digits)).toBe(grouped);
    expect(formatCardNumber(typed)).toMatch(/^[\d ]+$/);
    expect(validateField({ type: 'card-number', required: true }, typed.replace(/ /g, '-'))).toBeNull();
    const broken = digits.slice(0, -1) + String((Number(digits.at(-1)) + 1) % 10);
    expect(validateField({ type: 'card-number', required: true }, broken)).toBe('card_number_luhn');
  });

  it.each(TEST_CARD_ROWS)('groups %s as it is typed in the field', async (typed, _brand, grouped) => {
    const el = await mount();
    await userEvent.fill(page.getByLabelText('Card number'), normalizeCardNumber(typed));
    expect(input(el, 'cardNumber').value).toBe(grouped);
  });

  it.each([
    [TEST_CARDS.amex.number, '123', 'cvv_length'],
    [TEST_CARDS.amex.number, '1234', null],
    [TEST_CARDS.visa.number, '1234', 'cvv_length'],
    [TEST_CARDS.visa.number, '123', null],
    [TEST_CARDS.visa.number, '12a', 'cvv_format'],
  ])('CVV length follows the brand of %s: %s is %s', (card, cvv, reason) => {
    expect(validateField({ type: 'cvv', required: true }, cvv, { cardNumber: card })).toBe(reason);
  });
});

describe('validators for every field type', () => {
  const now = new Date('2026-06-15T12:00:00Z');
  it.each([
    ['expiry', '06/26', null],
    ['expiry', '05/26', 'expiry_past'],
    ['expiry', '13/30', 'expiry_format'],
    ['expiry', '12/2031', null],
    ['ssn', '123-45-6789', null],
    ['ssn', '000-12-3456', 'ssn_format'],
    ['pin', '1234', null],
    ['pin', '12', 'pin_format'],
    ['email', 'name@example.com', null],
    ['email', 'name@', 'email_format'],
    ['phone', '+44 808 157 0192', null],
    ['phone', '12', 'phone_format'],
    ['number', '3.5', null],
    ['number', 'three', 'number_format'],
    ['date', '2000-02-29', null],
    ['date', '29/02/2000', 'date_format'],
    ['yes-no', 'yes', null],
    ['yes-no', 'maybe', 'option_unknown'],
    ['checkbox', 'true', null],
    ['checkbox', '', 'required'],
    ['text', '', 'required'],
    ['text', 'x'.repeat(501), 'too_long'],
  ] as const)('%s %j → %s', (type, value, reason) => {
    expect(validateField({ type, required: true }, value, { now })).toBe(reason);
  });
});

describe('<secure-form> renders every field type', () => {
  it('with the right input type, autocomplete token, inputmode and spellcheck', async () => {
    const el = await mount();
    const expectations: Array<[string, string, string | null, string | null]> = [
      ['cardNumber', 'text', 'cc-number', 'numeric'],
      ['expiry', 'text', 'cc-exp', 'numeric'],
      ['cvv', 'text', 'cc-csc', 'numeric'],
      ['name', 'text', 'cc-name', null],
      ['ssn', 'text', 'off', 'numeric'],
      ['pin', 'password', 'off', 'numeric'],
      ['secret', 'password', 'off', null],
      ['amount', 'text', null, 'decimal'],
      ['email', 'email', 'email', null],
      ['phone', 'tel', 'tel', null],
      ['born', 'date', null, null],
    ];
    for (const [id, type, autocomplete, inputmode] of expectations) {
      const field = input(el, id);
      expect(field.type, id).toBe(type);
      expect(field.getAttribute('autocomplete'), id).toBe(autocomplete);
      expect(field.getAttribute('inputmode'), id).toBe(inputmode);
    }
    for (const id of ['cardNumber', 'expiry', 'cvv', 'name', 'ssn', 'pin', 'secret', 'email']) {
      expect(input(el, id).getAttribute('spellcheck'), id).toBe('false');
    }
    expect(el.shadowRoot!.querySelector('select#f-reason')).not.toBeNull();
    expect(el.shadowRoot!.querySelectorAll('input[name="agree"][type="radio"]')).toHaveLength(2);
    expect(input(el, 'confirm').type).toBe('checkbox');
    await expect.element(page.getByLabelText('Note (optional)')).toBeInTheDocument();
  });

  it('accepts a pasted card number with hyphens and groups it', async () => {
    const el = await mount();
    const field = input(el, 'cardNumber');
    field.focus();
    const hyphenated = TEST_CARDS.mastercard.number.replaceAll(' ', '-');
    const data = new DataTransfer();
    data.setData('text/plain', hyphenated);
    field.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    field.value = hyphenated;
    field.dispatchEvent(new InputEvent('input', { bubbles: true }));
    expect(field.value).toBe(TEST_CARDS.mastercard.number);
  });

  it('shows a message with a suggestion for each invalid field, and the labels from translations', async () => {
    const el = await mount(ALL_TYPES, 'es');
    await expect.element(page.getByLabelText('Motivo')).toBeInTheDocument();
    await expect.element(page.getByRole('option', { name: 'Reembolso' })).toBeInTheDocument();
    await userEvent.click(page.getByRole('button', { name: 'Continue' }));
    const items = el.shadowRoot!.querySelectorAll('[part="error-summary-list"] li');
    // Every required field is listed; the optional note is not.
    expect(items).toHaveLength(ALL_TYPES.fields.length - 1);
    for (const msg of el.shadowRoot!.querySelectorAll('[part="error-message"]')) {
      expect(msg.querySelector('.visually-hidden')?.textContent).toContain('Error:');
    }
  });
});
