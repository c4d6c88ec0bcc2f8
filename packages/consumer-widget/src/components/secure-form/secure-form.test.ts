import { formDefinitionSchema, type FormDefinition } from '@secure-forms/shared/form';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import { CVV, TEST_CARDS } from '../../../../../fixtures/cards.js';
import { CARD_PAYMENT, withField, withFields } from '../../../../../fixtures/forms.js';
import './secure-form.js';
import type { SecureForm } from './secure-form.component.js';

/**
 * The example card form without the name on the card (a valid form is four answers), plus an
 * optional masked secret answer: the one field here whose input is a password box.
 */
const FORM: FormDefinition = formDefinitionSchema.parse(
  withField(withFields(CARD_PAYMENT, 'cardNumber', 'expiry', 'cvv', 'billingPostcode'), {
    id: 'memorable',
    type: 'secret-answer',
    label: 'Memorable word',
    masked: true,
    required: false,
  }),
);
const { visa, mastercard, amex } = TEST_CARDS;
/** The Visa test number with its last digit changed: fails the Luhn check. */
const VISA_BAD_LUHN = `${visa.number.slice(0, -1)}2`;

async function mount(submitAnswers: SecureForm['submitAnswers'] = null): Promise<SecureForm> {
  const el = document.createElement('secure-form');
  el.form = FORM;
  el.submitAnswers = submitAnswers;
  document.body.append(el);
  await el.updateComplete;
  return el;
}

const focused = (el: SecureForm) => el.shadowRoot!.activeElement;
const input = (el: SecureForm, id: string) => el.shadowRoot!.querySelector<HTMLInputElement>(`#f-${id}`)!;
const continueButton = () => page.getByRole('button', { name: 'Continue' });

async function fillValid(card = visa.number, cvv = CVV): Promise<void> {
  await userEvent.fill(page.getByLabelText('Card number'), card);
  await userEvent.fill(page.getByLabelText('Expiry date'), '12/35');
  await userEvent.fill(page.getByLabelText('Security code (CVV)'), cvv);
  await userEvent.fill(page.getByLabelText('Billing postcode'), 'SW1A 1AA');
}

afterEach(() => {
  vi.restoreAllMocks();
  document.body.replaceChildren();
});

describe('<secure-form>', () => {
  it('labels every field natively, with autofill tokens and hints tied by aria-describedby', async () => {
    const el = await mount();
    const card = input(el, 'cardNumber');
    expect(card.autocomplete).toBe('cc-number');
    expect(card.inputMode).toBe('numeric');
    expect(card.spellcheck).toBe(false);
    expect(card.getAttribute('autocapitalize')).toBe('off');
    expect(input(el, 'expiry').autocomplete).toBe('cc-exp');
    expect(input(el, 'cvv').autocomplete).toBe('cc-csc');
    expect(input(el, 'memorable').type).toBe('password');
    const postcode = input(el, 'billingPostcode');
    expect(el.shadowRoot!.getElementById(postcode.getAttribute('aria-describedby')!)!.textContent).toContain('card statement');
    await expect.element(page.getByLabelText('Memorable word (optional)')).toBeVisible();
  });

  it('on an empty Continue shows the error summary, focuses its alert, and its links focus each field', async () => {
    const el = await mount();
    await userEvent.click(continueButton());
    const alert = page.getByRole('alert');
    await expect.element(alert).toHaveTextContent(/There is a problem/);
    await expect.poll(() => focused(el)?.getAttribute('role')).toBe('alert');
    await expect.element(page.getByRole('link', { name: 'Enter your card number' })).toBeVisible();
    await expect.element(page.getByRole('link', { name: /Enter the security code/ })).toBeVisible();
    expect(el.shadowRoot!.querySelectorAll('[role="alert"]')).toHaveLength(1);

    await userEvent.click(page.getByRole('link', { name: /Enter the security code/ }));
    expect(focused(el)).toBe(input(el, 'cvv'));
    await userEvent.click(page.getByRole('link', { name: 'Enter Billing postcode' }));
    expect(focused(el)).toBe(input(el, 'billingPostcode'));
    expect(location.hash).toBe('');

    const card = input(el, 'cardNumber');
    expect(card.getAttribute('aria-invalid')).toBe('true');
    const error = el.shadowRoot!.getElementById(`${card.id}-error`)!;
    expect(card.getAttribute('aria-describedby')!.split(' ')).toContain(error.id);
    expect(error.textContent.replace(/\s+/g, ' ').trim()).toBe('Error: Enter your card number');
  });

  it('does not validate on blur', async () => {
    const el = await mount();
    await userEvent.fill(page.getByLabelText('Card number'), VISA_BAD_LUHN);
    await userEvent.click(page.getByLabelText('Expiry date'));
    await userEvent.tab();
    expect(el.shadowRoot!.querySelector('[role="alert"]')).toBeNull();
    expect(el.shadowRoot!.textContent).not.toContain('Error:');
    expect(input(el, 'cardNumber').getAttribute('aria-invalid')).toBe('false');
  });

  it('rejects a card number that fails the Luhn check, with a suggestion', async () => {
    const el = await mount();
    await fillValid(VISA_BAD_LUHN);
    await userEvent.click(continueButton());
    await expect
      .element(page.getByRole('link', { name: 'Card number is not valid. Check the number on the front of your card' }))
      .toBeVisible();
    expect(el.shadowRoot!.querySelectorAll('.error-message')).toHaveLength(1);
  });

  it('rejects a number no card network issues, which passes the Luhn check, with a suggestion', async () => {
    const el = await mount();
    await fillValid('0000 0000 0000');
    await userEvent.click(continueButton());
    await expect
      .element(page.getByRole('link', { name: 'Card number is not valid. Check the number on the front of your card' }))
      .toBeVisible();
    expect(el.shadowRoot!.querySelectorAll('.error-message')).toHaveLength(1);
  });

  it('groups the card number as it is typed and accepts hyphens', async () => {
    const el = await mount();
    await userEvent.type(page.getByLabelText('Card number'), amex.digits);
    expect(input(el, 'cardNumber').value).toBe(amex.number);
    await userEvent.fill(page.getByLabelText('Card number'), mastercard.number.replaceAll(' ', '-'));
    expect(input(el, 'cardNumber').value).toBe(mastercard.number);
  });

  it('asks for a 4-digit CVV on an American Express card and 3 digits on others', async () => {
    const el = await mount();
    await fillValid(amex.number, '123');
    await userEvent.click(continueButton());
    await expect.element(page.getByRole('link', { name: /Enter the 4-digit security code/ })).toBeVisible();

    await userEvent.fill(page.getByLabelText('Security code (CVV)'), '1234');
    await userEvent.click(continueButton());
    await expect.element(page.getByRole('heading', { name: 'Check your answers before sending' })).toBeVisible();

    await userEvent.click(page.getByRole('link', { name: 'Change Card number' }));
    await userEvent.fill(page.getByLabelText('Card number'), mastercard.number);
    await userEvent.click(continueButton());
    await expect.element(page.getByRole('link', { name: /Enter the 3-digit security code/ })).toBeVisible();
    expect(input(el, 'cvv').getAttribute('aria-invalid')).toBe('true');
  });

  it('reviews the answers masked, and Change returns to the field with the answers kept', async () => {
    const el = await mount();
    await fillValid();
    await userEvent.click(continueButton());
    const heading = page.getByRole('heading', { name: 'Check your answers before sending' });
    await expect.element(heading).toBeVisible();
    await expect.poll(() => focused(el)?.textContent).toBe('Check your answers before sending');
    await expect.element(page.getByText(`${visa.digits.slice(0, 6)}••••••${visa.lastFour}`)).toBeVisible();
    await expect.element(page.getByText('SW1A 1AA')).toBeVisible();
    const review = el.shadowRoot!.querySelector('[part="review"]')!.textContent;
    expect(review).not.toContain(visa.digits);
    expect(review).not.toContain(CVV);
    expect(review).toContain('••••••••');
    expect(el.shadowRoot!.querySelector('input')).toBeNull();

    await userEvent.click(page.getByRole('link', { name: 'Change Security code (CVV)' }));
    expect(focused(el)).toBe(input(el, 'cvv'));
    expect(input(el, 'cvv').value).toBe(CVV);
    expect(input(el, 'cardNumber').value).toBe(visa.number);

    await userEvent.click(continueButton());
    await userEvent.click(page.getByRole('button', { name: 'Back to the form' }));
    expect(focused(el)).toBe(input(el, 'cardNumber'));
  });

  it('hands the answers to submitAnswers on Send securely, then clears every value', async () => {
    const submit = vi.fn(async () => true);
    const el = await mount(submit);
    const listener = vi.fn();
    document.body.addEventListener('secure-form-submit', listener);
    await fillValid();
    await userEvent.click(continueButton());
    await userEvent.click(page.getByRole('button', { name: 'Send securely' }));
    expect(submit).toHaveBeenCalledTimes(1);
    expect(submit.mock.calls[0]).toEqual([{ cardNumber: visa.digits, expiry: '12/35', cvv: CVV, billingPostcode: 'SW1A 1AA' }]);
    expect(listener).not.toHaveBeenCalled();
    await expect.element(page.getByLabelText('Card number')).toHaveValue('');
    expect(input(el, 'cvv').value).toBe('');
    await userEvent.click(continueButton());
    await expect.element(page.getByRole('link', { name: 'Enter your card number' })).toBeVisible();
  });

  it('keeps the answers when sending fails, so the visitor can try again', async () => {
    const submit = vi.fn(async () => false);
    const el = await mount(submit);
    await fillValid();
    await userEvent.click(continueButton());
    await userEvent.click(page.getByRole('button', { name: 'Send securely' }));
    await expect.element(page.getByRole('button', { name: 'Send securely' })).toBeVisible();
    await userEvent.click(page.getByRole('link', { name: 'Change Card number' }));
    expect(input(el, 'cardNumber').value).toBe(visa.number);
  });

  it('fires a value-free cancel event and forgets the answers on Cancel', async () => {
    const el = await mount();
    const cancel = vi.fn();
    el.addEventListener('secure-form-cancel', cancel);
    await userEvent.fill(page.getByLabelText('Card number'), visa.number);
    await userEvent.click(page.getByRole('button', { name: 'Cancel' }));
    expect(cancel).toHaveBeenCalledTimes(1);
    expect(input(el, 'cardNumber').value).toBe('');
  });
});
