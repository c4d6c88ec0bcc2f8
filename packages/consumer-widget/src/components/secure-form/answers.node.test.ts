import { formDefinitionSchema } from '@secure-forms/shared/form';
import { describe, expect, it } from 'vitest';
import { answersOf, leftToRight } from './answers.js';
import { groupCardDigits } from './card-input.js';

// Inline, not an example form: optional, masked and off-the-record text answers beside a card, which no example has.
const { fields } = formDefinitionSchema.parse({
  id: 'f',
  version: 1,
  title: 'F',
  fields: [
    { id: 'cardNumber', type: 'card-number', label: 'Card number' },
    { id: 'expiry', type: 'expiry', label: 'Expiry' },
    { id: 'agree', type: 'checkbox', label: 'Agree', required: false },
    { id: 'name', type: 'text', label: 'Name', required: false },
    { id: 'word', type: 'text', label: 'Word', required: false, masked: true },
    { id: 'memorable', type: 'secret-answer', label: 'Memorable', offTheRecord: true, required: false },
  ],
});
const byId = (id: string) => fields.find((f) => f.id === id)!;

describe('answersOf', () => {
  it('trims, leaves out empty answers and unticked boxes, and normalizes card numbers and expiry dates', () => {
    const values = new Map([
      ['cardNumber', ' 4111 1111-1111 1111 '],
      ['expiry', '7 / 2031'],
      ['agree', ''],
      ['name', '  '],
      ['stray', 'x'],
    ]);
    const answers = answersOf(fields, values);
    expect({ ...answers }).toEqual({ cardNumber: '4111111111111111', expiry: '07/31' });
    expect(Object.getPrototypeOf(answers)).toBeNull();
    expect({
      ...answersOf(
        fields,
        new Map([
          ['agree', 'true'],
          ['expiry', 'soon'],
        ]),
      ),
    }).toEqual({ agree: 'true', expiry: 'soon' });
  });
});

describe('leftToRight', () => {
  it('holds for digits, masked and off-the-record answers, not for words', () => {
    expect(['cardNumber', 'expiry', 'word', 'memorable'].map((id) => leftToRight(byId(id)))).toEqual([true, true, true, true]);
    expect(leftToRight(byId('name'))).toBe(false);
  });
});

describe('groupCardDigits', () => {
  it('groups the digits as the brand prints them and keeps the caret after the same digit', () => {
    expect(groupCardDigits('41111', 5)).toEqual({ value: '4111 1', caret: 6 });
    expect(groupCardDigits('4111 11111', 2)).toEqual({ value: '4111 1111 1', caret: 2 });
    expect(groupCardDigits('378282246310005', 15)).toEqual({ value: '3782 822463 10005', caret: 17 });
  });

  it('changes nothing that is already grouped, or that holds anything but digits, spaces and dashes', () => {
    expect(groupCardDigits('4111 1', 6)).toBeNull();
    expect(groupCardDigits('4111a', 5)).toBeNull();
  });
});
