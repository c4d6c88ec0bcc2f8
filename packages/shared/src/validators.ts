/**
 * Field validators: pure functions used by the frame before encrypting (so the visitor gets an
 * error they can fix) and by tests. The backend never sees the values, so it cannot re-check them;
 * that is why they live here, once.
 */
import { cardBrandRule, cvvLengthFor, detectCardBrand, luhnValid, normalizeCardNumber, parseExpiry } from './cards.js';
import type { FieldType } from './field-types.js';

export * from './cards.js';

/**
 * Why a value is not acceptable for a field, as a stable reason key the widgets localize.
 */
export type ValidationReason =
  | 'required'
  | 'card_number_format'
  | 'card_number_length'
  | 'card_number_luhn'
  | 'expiry_format'
  | 'expiry_past'
  | 'cvv_format'
  | 'cvv_length'
  | 'ssn_format'
  | 'pin_format'
  | 'email_format'
  | 'phone_format'
  | 'number_format'
  | 'date_format'
  | 'option_unknown'
  | 'too_long';

export interface ValidationContext {
  now?: Date;
  /** Card number typed elsewhere in the same form, to check the CVV length against its brand. */
  cardNumber?: string;
}

/** A type's own check of a trimmed, non-empty answer of at most 500 characters; `null` when fine. */
export type FieldCheck = (
  value: string,
  field: { options?: ReadonlyArray<{ value: string }> | undefined },
  context: ValidationContext,
) => ValidationReason | null;

const MAX_LENGTH = 500;
const CARD_LENGTHS = [12, 13, 14, 15, 16, 17, 18, 19];

const pattern =
  (re: RegExp, reason: ValidationReason): FieldCheck =>
  (value) =>
    re.test(value) ? null : reason;

/**
 * The validator of each type in `FIELD_TYPES` (field-types.ts), the validator column of that
 * table: the compiler requires an entry per type; `null` for types whose only rule is the general
 * one (required, at most 500 characters).
 */
export const FIELD_CHECKS: Readonly<Record<FieldType, FieldCheck | null>> = {
  'card-number': (value) => {
    const digits = normalizeCardNumber(value);
    if (!/^\d+$/.test(digits)) return 'card_number_format';
    if (!(cardBrandRule(digits)?.lengths ?? CARD_LENGTHS).includes(digits.length)) return 'card_number_length';
    return luhnValid(digits) ? null : 'card_number_luhn';
  },
  expiry: (value, _field, context) => {
    const parsed = parseExpiry(value);
    if (!parsed) return 'expiry_format';
    const now = context.now ?? new Date();
    return parsed.year * 12 + (parsed.month - 1) < now.getFullYear() * 12 + now.getMonth() ? 'expiry_past' : null;
  },
  cvv: (value, _field, context) => {
    if (!/^\d+$/.test(value)) return 'cvv_format';
    const brand = context.cardNumber ? detectCardBrand(context.cardNumber) : undefined;
    if (brand) return value.length === cvvLengthFor(brand) ? null : 'cvv_length';
    return value.length === 3 || value.length === 4 ? null : 'cvv_length';
  },
  'cardholder-name': null,
  ssn: pattern(/^(?!000|666|9\d\d)\d{3}-?(?!00)\d{2}-?(?!0000)\d{4}$/, 'ssn_format'),
  pin: pattern(/^\d{4,12}$/, 'pin_format'),
  'secret-answer': null,
  text: null,
  number: pattern(/^-?\d+([.,]\d+)?$/, 'number_format'),
  email: pattern(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'email_format'),
  phone: (value) => (/^\+?[\d\s().-]{6,20}$/.test(value) && /\d{6,}/.test(value.replace(/\D/g, '')) ? null : 'phone_format'),
  date: (value) => (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'date_format'),
  select: (value, field) => (field.options?.some((o) => o.value === value) ? null : 'option_unknown'),
  'yes-no': (value) => (value === 'yes' || value === 'no' ? null : 'option_unknown'),
  checkbox: null,
};

/**
 * Why a value is not acceptable for a field, as a stable reason key the widgets localize; `null`
 * when it is fine. `context.now` is injectable so expiry checks are testable.
 */
export function validateField(
  field: { type: FieldType; required: boolean; options?: ReadonlyArray<{ value: string }> | undefined },
  raw: string,
  context: ValidationContext = {},
): ValidationReason | null {
  const value = raw.trim();
  if (value === '' || (field.type === 'checkbox' && value !== 'true')) {
    return field.required ? 'required' : null;
  }
  if (value.length > MAX_LENGTH) return 'too_long';
  return FIELD_CHECKS[field.type]?.(value, field, context) ?? null;
}
