/**
 * The visitor's answers as the form sends them, and which of them are written left to right:
 * pure, tested in node.
 */
import type { Answers } from '@secure-forms/shared/envelope';
import type { FieldType } from '@secure-forms/shared/field-types';
import { isOffTheRecord, type FieldDefinition } from '@secure-forms/shared/form-rules';
import { normalizeCardNumber, parseExpiry } from '@secure-forms/shared/validators';

/**
 * Answers written left to right in every language: digits with spaces, slashes or dashes between
 * them (and any masked value's dots) are weak or neutral characters that a right-to-left page
 * would reorder, showing 4111 1111 1111 1111 as 1111 1111 1111 4111 (WCAG 1.3.2). Their inputs
 * and review values carry `dir="ltr"`, which also isolates them from the text around them.
 */
const LEFT_TO_RIGHT: ReadonlySet<FieldType> = new Set<FieldType>([
  'card-number',
  'expiry',
  'cvv',
  'pin',
  'ssn',
  'phone',
  'email',
  'number',
]);

/** Whether the field's answer is written left to right whatever the page's direction. */
export function leftToRight(field: FieldDefinition): boolean {
  return LEFT_TO_RIGHT.has(field.type) || field.masked || isOffTheRecord(field);
}

/**
 * The answers to send, from the values as typed (field id to text): trimmed, empty ones and
 * unticked boxes left out, card numbers as digits only, expiry dates as `MM/YY`. A null-prototype
 * record: a field id such as `constructor` finds no inherited member in it.
 */
export function answersOf(fields: readonly FieldDefinition[], values: ReadonlyMap<string, string>): Answers {
  const answers = Object.create(null) as Answers;
  for (const field of fields) {
    const value = (values.get(field.id) ?? '').trim();
    if (!value || (field.type === 'checkbox' && value !== 'true')) continue;
    if (field.type === 'card-number') answers[field.id] = normalizeCardNumber(value);
    else if (field.type === 'expiry') {
      const e = parseExpiry(value);
      answers[field.id] = e ? `${String(e.month).padStart(2, '0')}/${String(e.year % 100).padStart(2, '0')}` : value;
    } else answers[field.id] = value;
  }
  return answers;
}
