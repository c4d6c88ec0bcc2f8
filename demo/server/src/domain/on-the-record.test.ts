import { formDefinitionSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { onTheRecordOnly } from './on-the-record.js';

const form = formDefinitionSchema.parse({
  id: 'card',
  version: 2,
  title: 'Card',
  fields: [
    { id: 'cardNumber', type: 'card-number', label: 'Card number' },
    { id: 'cvv', type: 'cvv', label: 'CVV' },
    { id: 'motherMaidenName', type: 'secret-answer', label: 'Secret', offTheRecord: true },
    { id: 'postcode', type: 'text', label: 'Postcode' },
  ],
});

describe('onTheRecordOnly', () => {
  it('keeps the on-the-record fields of the form and drops nothing else', () => {
    expect(onTheRecordOnly(form, { cardNumber: '4111', postcode: 'SW1A' })).toEqual({
      kept: { cardNumber: '4111', postcode: 'SW1A' },
      dropped: null,
    });
  });

  it("drops off-the-record fields (named) and unknown ids (counted only, since they are the sender's text)", () => {
    const { kept, dropped } = onTheRecordOnly(form, { cardNumber: '4111', cvv: '737', motherMaidenName: 'x', x4111111111111111: 'y' });
    expect(kept).toEqual({ cardNumber: '4111' });
    expect(dropped).toEqual({ count: 3, fieldIds: ['cvv', 'motherMaidenName'] });
  });
});
