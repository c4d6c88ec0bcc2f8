import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../../fixtures/cards.js';
import { lastFour, maskCardNumber, maskSecret } from './masking.js';

describe('maskCardNumber', () => {
  it('shows at most the first six and last four digits', () => {
    expect(maskCardNumber(TEST_CARDS.visa.number)).toBe('411111••••••1111');
    expect(maskCardNumber(TEST_CARDS.amex.number)).toBe('378282•••••0005');
  });
  it('never shows more than ten digits of any number (property)', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^\d{5,19}$/), (digits) => {
        const shown = maskCardNumber(digits).replace(/•/g, '');
        return shown.length <= 10 && shown.length <= digits.length - (digits.length >= 13 ? 0 : 1);
      }),
    );
  });
  it('gives the last four as the one clear hint', () => expect(lastFour(TEST_CARDS.mastercard.number)).toBe('4444'));
  it('hides a secret at a fixed width so its length does not leak', () => {
    expect(maskSecret('1')).toBe(maskSecret('123456789'));
  });
});
