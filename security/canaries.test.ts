import { describe, expect, it } from 'vitest';
import { CANARY, describeHits, findCanaries } from './canaries.js';

describe('the canary scan', () => {
  it('finds the card number typed, as digits, and in groups of four split by tags', () => {
    expect(describeHits(findCanaries(`x ${CANARY.card.typed} y`))).toBe('card number (clear)');
    expect(describeHits(findCanaries(`x${CANARY.card.digits}y`))).toBe('card number (clear)');
    const boxed = '<span class="group">3714</span> <span class="group">4963</span><!--?lit$1$--> <span>5398</span> <span>431</span>';
    expect(describeHits(findCanaries(boxed))).toBe('card number (clear (in groups, or split by tags))');
  });

  it('does not take other digits for the card number', () => {
    expect(findCanaries('3714 4963 5398 432 and 371449635398')).toEqual([]);
  });

  it('finds the CID only as typed text, not inside random ids', () => {
    expect(describeHits(findCanaries(`CVV ${CANARY.cid}.`))).toBe('CVV (clear (typed text))');
    expect(findCanaries(`token-a81${CANARY.cid}f0c9d0e4b7a1c2d3`)).toEqual([]);
  });
});
