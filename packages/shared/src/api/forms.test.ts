import { describe, expect, it } from 'vitest';
import { CARD_PAYMENT } from '../../../../fixtures/forms.js';
import { formDefinitionSchema } from '../form-definition.js';
import { formCatalogResponseSchema, formSummary } from './forms.js';

describe('the form catalog', () => {
  it('lists a form’s questions with which answers are off the record, and nothing more of the definition', () => {
    // The example form has a description, an open limit and hints: none of them is listed.
    const form = formDefinitionSchema.parse(CARD_PAYMENT);
    const summary = formSummary(form);
    const [cardNumber, expiry, cardholderName, billingPostcode, cvv] = CARD_PAYMENT.fields;
    expect(summary).toEqual({
      id: 'card-payment',
      version: 1,
      title: CARD_PAYMENT.title,
      fields: [
        { id: 'cardNumber', type: 'card-number', label: cardNumber!.label, offTheRecord: false },
        { id: 'expiry', type: 'expiry', label: expiry!.label, offTheRecord: false },
        { id: 'cardholderName', type: 'cardholder-name', label: cardholderName!.label, offTheRecord: false },
        { id: 'billingPostcode', type: 'text', label: billingPostcode!.label, offTheRecord: false },
        // The example does not say so: a CVV is off the record by its type.
        { id: 'cvv', type: 'cvv', label: cvv!.label, offTheRecord: true },
      ],
    });
    expect(formCatalogResponseSchema.safeParse({ forms: [summary] }).success).toBe(true);
  });
});
