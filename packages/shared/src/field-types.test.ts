/**
 * The field-type table and the vocabularies derived from shared constants: what the form schema
 * accepts, which answers are forced off the record, which input a field gets, and that the card
 * rules cover every brand.
 */
import { describe, expect, it } from 'vitest';
import { TEST_CARDS } from '../../../fixtures/cards.js';
import { CARD_BRAND_RULES, formatCardNumber } from './cards.js';
import { FIELD_TYPE_NAMES, FIELD_TYPES, inputType } from './field-types.js';
import { fieldDefinitionSchema, isOffTheRecord } from './form-definition.js';
import { FIELD_CHECKS } from './validators.js';
import { CARD_BRANDS } from './vocabulary.js';

describe('FIELD_TYPES', () => {
  it('is what the form schema accepts as a field type, in table order', () => {
    expect(FIELD_TYPE_NAMES).toEqual(Object.keys(FIELD_TYPES));
    for (const type of FIELD_TYPE_NAMES) {
      expect(fieldDefinitionSchema.safeParse({ id: 'a', type, label: 'A' }).success, type).toBe(true);
    }
    expect(fieldDefinitionSchema.safeParse({ id: 'a', type: 'dropdown', label: 'A' }).success).toBe(false);
  });

  it('has a validator entry for every type', () => {
    expect(Object.keys(FIELD_CHECKS).sort()).toEqual([...FIELD_TYPE_NAMES].sort());
  });

  it('forces CVV and PIN answers off the record, and only those', () => {
    const forced = FIELD_TYPE_NAMES.filter((type) => isOffTheRecord({ type, offTheRecord: false }));
    expect(forced).toEqual(['cvv', 'pin']);
    expect(isOffTheRecord({ type: 'text', offTheRecord: true })).toBe(true);
  });

  it('types masked fields and PINs as dots, and keeps the date picker', () => {
    expect(inputType({ type: 'pin', masked: false })).toBe('password');
    expect(inputType({ type: 'secret-answer', masked: true })).toBe('password');
    expect(inputType({ type: 'email', masked: false })).toBe('email');
    expect(inputType({ type: 'phone', masked: false })).toBe('tel');
    expect(inputType({ type: 'text', masked: false })).toBe('text');
    expect(inputType({ type: 'date', masked: true })).toBe('date');
  });
});

describe('card brands', () => {
  it('have one IIN rule each', () => {
    expect(CARD_BRAND_RULES.map((r) => r.brand).sort()).toEqual([...CARD_BRANDS].sort());
  });

  it('print 14-digit Diners Club numbers 4-6-4 and 16-digit ones in fours', () => {
    expect(formatCardNumber('36227206271667')).toBe('3622 720627 1667');
    expect(formatCardNumber(TEST_CARDS.diners.digits)).toBe('3056 9300 0902 0004');
  });
});
