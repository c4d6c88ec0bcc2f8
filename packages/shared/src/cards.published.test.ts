/**
 * Card numbers as networks issue them: every published test number is accepted with its brand;
 * numbers no network issues (leading 0; leading 1 unless the field takes airline cards) are
 * refused; each network's own ranges and lengths are recognized.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_BAD_LUHN, PUBLISHED_TEST_CARDS } from '../../../fixtures/published-test-cards.js';
import { detectCardBrand, luhnValid, validateField } from './validators.js';

const card = { type: 'card-number', required: true } as const;
const airline = { ...card, airlineCards: true } as const;
const valid = PUBLISHED_TEST_CARDS.filter(([number]) => number !== PUBLISHED_BAD_LUHN);

/** `prefix` padded with zeros to `length` digits, the last one a Luhn check digit. */
function withCheckDigit(prefix: string, length = 16): string {
  const body = prefix.padEnd(length - 1, '0');
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

describe('published test card numbers', () => {
  it('are 157, 156 of them valid', () => {
    expect(PUBLISHED_TEST_CARDS).toHaveLength(157);
    expect(valid).toHaveLength(156);
  });

  it.each(valid)('%s (%s, %s) is accepted as %s', (number, _says, _source, brand) => {
    expect(validateField(airline, number)).toBeNull();
    expect(detectCardBrand(number)).toBe(brand);
    // A consumer card field takes every one but the airline numbers.
    expect(validateField(card, number)).toBe(number.startsWith('1') ? 'card_number_unknown' : null);
  });

  it('refuses the one published with a bad check digit', () => {
    expect(validateField(airline, PUBLISHED_BAD_LUHN)).toBe('card_number_luhn');
  });
});

describe('numbers no network issues', () => {
  it('refuses numbers starting with 0, which pass the Luhn check', () => {
    for (const number of ['0000 0000 0000', '0004111111111111111', '0000000000000000']) {
      expect(luhnValid(number.replace(/ /g, ''))).toBe(true);
      expect(validateField(card, number), number).toBe('card_number_unknown');
      expect(validateField(airline, number), number).toBe('card_number_unknown');
    }
  });

  it('refuses numbers starting with 1 (airline cards) unless the field takes them', () => {
    expect(validateField(card, '1000000000000008')).toBe('card_number_unknown');
    expect(validateField(card, '135410014004955')).toBe('card_number_unknown');
    expect(validateField(airline, '1000000000000008')).toBeNull();
    expect(validateField(airline, '135410014004955')).toBeNull();
  });

  it('has no brand for them', () => {
    expect(detectCardBrand('0004111111111111111')).toBeUndefined();
    expect(detectCardBrand('1354100140049550')).toBeUndefined();
  });

  it('refuses every Luhn-valid number starting with 0 (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^0\d{10,17}$/), (body) => {
        const number = withCheckDigit(body, body.length + 1);
        return validateField(airline, number) === 'card_number_unknown';
      }),
    );
  });
});

describe('network ranges and lengths', () => {
  it.each([
    ['6221260000000000', 'unionpay'],
    ['6225000000000000', 'unionpay'],
    ['6229250000000000', 'unionpay'],
    ['5066990000000000', 'elo'],
    ['5090000000000000', 'elo'],
    ['6500310000000000', 'elo'],
    ['6062820000000000', 'hipercard'],
    ['5019000000000000', 'dankort'],
    ['5061000000000000', 'verve'],
    ['5078650000000000', 'verve'],
    ['9792000000000000', 'troy'],
    ['6500520000000000', 'troy'],
    ['2200000000000000', 'mir'],
    ['5900000000000000', 'maestro'],
    ['6500000000000000', 'discover'],
    ['6011000000000000', 'discover'],
  ] as const)('%s is %s', (prefix, brand) => {
    const number = withCheckDigit(prefix.slice(0, 8));
    expect(detectCardBrand(number)).toBe(brand);
    expect(validateField(card, number)).toBeNull();
  });

  it('accepts 13-, 16-, 18- and 19-digit Visa numbers', () => {
    for (const length of [13, 16, 18, 19]) expect(validateField(card, withCheckDigit('4', length)), `${length}`).toBeNull();
    for (const length of [14, 15, 17]) expect(validateField(card, withCheckDigit('4', length)), `${length}`).toBe('card_number_length');
  });

  it('accepts UnionPay numbers of 14 to 19 digits', () => {
    for (const length of [14, 15, 16, 17, 18, 19]) {
      expect(validateField(card, withCheckDigit('62', length)), `${length}`).toBeNull();
      expect(validateField(card, withCheckDigit('8171', length)), `${length}`).toBeNull();
    }
  });
});
