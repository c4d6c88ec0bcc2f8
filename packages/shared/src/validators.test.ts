import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../../fixtures/cards.js';
import {
  cvvLengthFor,
  detectCardBrand,
  formatCardNumber,
  luhnValid,
  normalizeCardNumber,
  parseExpiry,
  validateField,
} from './validators.js';

const card = { type: 'card-number', required: true } as const;

describe('luhnValid', () => {
  it.each(['4111111111111111', '5555555555554444', '378282246310005', '6011111111111117', '3530111333300000'])(
    'accepts the public test number %s',
    (n) => expect(luhnValid(n)).toBe(true),
  );
  it('refuses a number with one digit changed', () => {
    expect(luhnValid('4111111111111112')).toBe(false);
  });
  it('refuses non-digits', () => {
    expect(luhnValid('4111-1111')).toBe(false);
    expect(luhnValid('')).toBe(false);
  });
  it('catches every single-digit error (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 1, max: 9 }), (pos, delta) => {
        const digits = '4111111111111111'.split('');
        digits[pos] = String((Number(digits[pos]) + delta) % 10);
        return !luhnValid(digits.join(''));
      }),
    );
  });
});

describe('detectCardBrand', () => {
  it.each([
    ...Object.values(TEST_CARDS).map(({ number, brand }) => [number, brand] as const),
    // The first number of Mastercard's 2-series range, with its check digit.
    ['2221 0000 0000 0009', 'mastercard'] as const,
  ])('%s is %s', (number, brand) => expect(detectCardBrand(number)).toBe(brand));
  it('is undefined while too little is typed', () => expect(detectCardBrand('')).toBeUndefined());
});

describe('formatting', () => {
  it('strips spaces and hyphens', () => expect(normalizeCardNumber('4111-1111 1111 1111')).toBe('4111111111111111'));
  it('groups Visa 4-4-4-4 and Amex 4-6-5', () => {
    expect(formatCardNumber('4111111111111111')).toBe('4111 1111 1111 1111');
    expect(formatCardNumber('378282246310005')).toBe('3782 822463 10005');
    expect(formatCardNumber('41111')).toBe('4111 1');
  });
  it('CVV is 4 digits for Amex, 3 otherwise', () => {
    expect(cvvLengthFor('amex')).toBe(4);
    expect(cvvLengthFor('visa')).toBe(3);
  });
});

describe('validateField', () => {
  const now = new Date(2026, 10, 29);
  it('requires required fields and lets optional ones be empty', () => {
    expect(validateField(card, '  ')).toBe('required');
    expect(validateField({ ...card, required: false }, '')).toBeNull();
  });
  it('card number: format, length, Luhn', () => {
    expect(validateField(card, '4111 1111 1111 1111')).toBeNull();
    expect(validateField(card, '4111-1111-1111-1111')).toBeNull();
    expect(validateField(card, '4111 1111 1111 111a')).toBe('card_number_format');
    expect(validateField(card, '4111 1111 1111')).toBe('card_number_length');
    expect(validateField(card, '4111 1111 1111 1112')).toBe('card_number_luhn');
  });
  it('expiry: format and not in the past', () => {
    const expiry = { type: 'expiry', required: true } as const;
    expect(parseExpiry('07/29')).toEqual({ month: 7, year: 2029 });
    expect(validateField(expiry, '13/29', { now })).toBe('expiry_format');
    expect(validateField(expiry, '10/26', { now })).toBe('expiry_past');
    expect(validateField(expiry, '11/26', { now })).toBeNull();
    expect(validateField(expiry, '01/2030', { now })).toBeNull();
  });
  it('CVV length follows the card brand', () => {
    const cvv = { type: 'cvv', required: true } as const;
    expect(validateField(cvv, '123', { cardNumber: '4111111111111111' })).toBeNull();
    expect(validateField(cvv, '123', { cardNumber: '378282246310005' })).toBe('cvv_length');
    expect(validateField(cvv, '1234', { cardNumber: '378282246310005' })).toBeNull();
    expect(validateField(cvv, '12a')).toBe('cvv_format');
  });
  it('SSN refuses the never-issued areas', () => {
    const ssn = { type: 'ssn', required: true } as const;
    expect(validateField(ssn, '123-45-6789')).toBeNull();
    expect(validateField(ssn, '000-45-6789')).toBe('ssn_format');
    expect(validateField(ssn, '666-45-6789')).toBe('ssn_format');
  });
  it('expiry: at most 20 years ahead (12/9999 would reach the agent as 12/99)', () => {
    const expiry = { type: 'expiry', required: true } as const;
    const now = new Date(2026, 10, 15);
    expect(validateField(expiry, '11/2046', { now })).toBeNull();
    expect(validateField(expiry, '12/2046', { now })).toBe('expiry_too_far');
    expect(validateField(expiry, '12/9999', { now })).toBe('expiry_too_far');
  });

  it('date: only days that exist', () => {
    const date = { type: 'date', required: true } as const;
    expect(validateField(date, '2024-02-29')).toBeNull();
    expect(validateField(date, '2023-02-29')).toBe('date_format');
    expect(validateField(date, '2023-02-30')).toBe('date_format');
    expect(validateField(date, '2023-04-31')).toBe('date_format');
    expect(validateField(date, '2023-13-01')).toBe('date_format');
    expect(validateField(date, '2023-2-1')).toBe('date_format');
  });

  it('email: what <input type=email> accepts, without stray dots or markup', () => {
    const email = { type: 'email', required: true } as const;
    for (const ok of ['name@example.com', 'first.last+tag@mail.example.co.uk', "o'brien@example.ie"])
      expect(validateField(email, ok)).toBeNull();
    for (const bad of ['a..b@c.com', '.a@c.com', 'a.@c.com', '<script>@x.yz', 'a@b', 'a b@c.com', 'a@-c.com', 'a@c..com']) {
      expect(validateField(email, bad), bad).toBe('email_format');
    }
  });

  it('phone: digits in groups, 6 to 15 of them, no runs of separators', () => {
    const phone = { type: 'phone', required: true } as const;
    for (const ok of ['01632 960 001', '+44 808 157 0192', '+44 (0) 20 7946 0000', '555-123-4567', '(555) 123.4567']) {
      expect(validateField(phone, ok), ok).toBeNull();
    }
    for (const bad of ['------123456', '12345', '+1 2345 6789 0123 4567', '+44 (20 7946 0000', '44++1234567', '- 123456']) {
      expect(validateField(phone, bad), bad).toBe('phone_format');
    }
  });

  it('select accepts only its options', () => {
    const select = { type: 'select', required: true, options: [{ value: 'a', label: 'A' }] } as const;
    expect(validateField(select, 'a')).toBeNull();
    expect(validateField(select, 'b')).toBe('option_unknown');
  });
});
