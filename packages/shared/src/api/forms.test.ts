import { describe, expect, it } from 'vitest';
import { formDefinitionSchema } from '../form-definition.js';
import { formCatalogResponseSchema, formSummary } from './forms.js';

describe('the form catalog', () => {
  it('lists a form’s questions with which answers are off the record, and nothing more of the definition', () => {
    const form = formDefinitionSchema.parse({
      id: 'card-payment',
      version: 2,
      title: 'Payment card',
      fields: [
        { id: 'cardNumber', type: 'card-number', label: 'Card number', hint: 'The long number on the front' },
        { id: 'cvv', type: 'cvv', label: 'Security code' },
      ],
    });
    const summary = formSummary(form);
    expect(summary).toEqual({
      id: 'card-payment',
      version: 2,
      title: 'Payment card',
      fields: [
        { id: 'cardNumber', type: 'card-number', label: 'Card number', offTheRecord: false },
        { id: 'cvv', type: 'cvv', label: 'Security code', offTheRecord: true },
      ],
    });
    expect(formCatalogResponseSchema.safeParse({ forms: [summary] }).success).toBe(true);
  });
});
