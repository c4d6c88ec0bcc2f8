import { describe, expect, it } from 'vitest';
import { typedText } from './flows.js';

describe('typedText, for never-a-value checks', () => {
  it('drops ids, tokens, ciphertext and times, where a short value could match by chance', () => {
    const dump = JSON.stringify({
      id: '6c1e7370-a737-4d2e-9f11-0b7371234567',
      otk: 'q737Xk_-9aZbY737abcdEFGH',
      at: '2026-11-29T07:37:37.737Z',
      ms: 1796737373737,
    });
    expect(typedText(dump)).not.toContain('737');
  });
  it('keeps what a person typed: a leaked card number, CVV or postcode still shows', () => {
    const dump = JSON.stringify({ text: 'my cvv is 737', card: '4111111111111111', spaced: '4111 1111 1111 1111', postcode: 'SW1A 1AA' });
    for (const value of ['737', '4111111111111111', '4111 1111 1111 1111', 'SW1A 1AA']) expect(typedText(dump)).toContain(value);
  });
});
