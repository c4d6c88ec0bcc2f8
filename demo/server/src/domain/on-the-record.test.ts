import { formDefinitionSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { CARD_PAYMENT, IDENTITY_CHECK, withField, withFields } from '../../../../fixtures/forms.js';
import { onTheRecordOnly } from './on-the-record.js';

// The example card form with the identity check's memorable word: a form with an off-the-record
// field besides the CVV, which no example form has.
const memorableWord = IDENTITY_CHECK.fields.find((field) => field.id === 'memorableWord')!;
const form = formDefinitionSchema.parse(withField(withFields(CARD_PAYMENT, 'cardNumber', 'cvv', 'billingPostcode'), memorableWord));

describe('onTheRecordOnly', () => {
  it('keeps the on-the-record fields of the form and drops nothing else', () => {
    expect(onTheRecordOnly(form, { cardNumber: '4111', billingPostcode: 'SW1A' })).toEqual({
      kept: { cardNumber: '4111', billingPostcode: 'SW1A' },
      dropped: null,
    });
  });

  it("drops off-the-record fields (named) and unknown ids (counted only, since they are the sender's text)", () => {
    const { kept, dropped } = onTheRecordOnly(form, { cardNumber: '4111', cvv: '737', memorableWord: 'x', x4111111111111111: 'y' });
    expect(kept).toEqual({ cardNumber: '4111' });
    expect(dropped).toEqual({ count: 3, fieldIds: ['cvv', 'memorableWord'] });
  });
});
