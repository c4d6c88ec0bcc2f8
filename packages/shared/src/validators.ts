/**
 * Field validators: pure functions used by the frame before encrypting (so the visitor gets an
 * error they can fix) and by tests. The backend never sees the values, so it cannot re-check them;
 * that is why they live here, once.
 */
import { cardBrandRule, cvvLengthFor, detectCardBrand, issuedByANetwork, luhnValid, normalizeCardNumber, parseExpiry } from './cards.js';
import type { FieldType } from './field-types.js';

export * from './cards.js';

/**
 * Why a value is not acceptable for a field, as a stable reason key the widgets localize.
 */
export type ValidationReason =
  | 'required'
  | 'card_number_format'
  | 'card_number_unknown'
  | 'card_number_length'
  | 'card_number_luhn'
  | 'expiry_format'
  | 'expiry_past'
  | 'expiry_too_far'
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

/** What a check may need besides the answer: the time (injectable for tests) and the form's card number. */
export interface ValidationContext {
  now?: Date;
  /** Card number typed elsewhere in the same form, to check the CVV length against its brand. */
  cardNumber?: string;
}

/** What a check reads of a field's definition besides its type. */
export interface CheckedField {
  options?: ReadonlyArray<{ value: string }> | undefined;
  /** A card number field that also takes airline (UATP) cards, whose numbers start with 1. */
  airlineCards?: boolean | undefined;
}

/** A type's own check of a trimmed, non-empty answer of at most 500 characters; `null` when fine. */
export type FieldCheck = (value: string, field: CheckedField, context: ValidationContext) => ValidationReason | null;

const MAX_LENGTH = 500;
const CARD_LENGTHS = [12, 13, 14, 15, 16, 17, 18, 19];

/** A card's expiry at most this many years ahead. */
export const EXPIRY_MAX_YEARS = 20;

// The HTML standard's "valid e-mail address" (what <input type=email> accepts), with the dot
// rules of RFC 5321 it leaves out: no leading, trailing or doubled dot in the local part, and a
// domain of at least two labels.
const EMAIL =
  /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*@[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$/;

function isEmailAddress(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

/**
 * A phone number as people write it: an optional leading +, digits grouped by single spaces, dots
 * or dashes, parentheses around a group (as in +44 (0) 20 7946 0000); 6 to 15 digits (E.164's
 * longest). A run of separators (------123456) is not a phone number.
 */
function isPhoneNumber(value: string): boolean {
  if (!/^\+?[\d(][\d\s().-]*$/.test(value) || /[\s.-]{2,}/.test(value)) return false;
  if ((value.match(/\(/g) ?? []).length !== (value.match(/\)/g) ?? []).length) return false;
  const digits = value.replace(/\D/g, '').length;
  return digits >= 6 && digits <= 15;
}

/** YYYY-MM-DD naming a day that exists (Date.parse rolls 2023-02-30 over to 2 March). */
function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

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
  'card-number': (value, field) => {
    const digits = normalizeCardNumber(value);
    if (!/^\d+$/.test(digits)) return 'card_number_format';
    if (!issuedByANetwork(digits, field.airlineCards)) return 'card_number_unknown';
    if (!(cardBrandRule(digits)?.lengths ?? CARD_LENGTHS).includes(digits.length)) return 'card_number_length';
    return luhnValid(digits) ? null : 'card_number_luhn';
  },
  expiry: (value, _field, context) => {
    const parsed = parseExpiry(value);
    if (!parsed) return 'expiry_format';
    const now = context.now ?? new Date();
    const months = parsed.year * 12 + (parsed.month - 1) - (now.getFullYear() * 12 + now.getMonth());
    if (months < 0) return 'expiry_past';
    // 12/9999 would reach the agent as 12/99: no network issues cards valid that long.
    return months > EXPIRY_MAX_YEARS * 12 ? 'expiry_too_far' : null;
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
  email: (value) => (isEmailAddress(value) ? null : 'email_format'),
  phone: (value) => (isPhoneNumber(value) ? null : 'phone_format'),
  date: (value) => (isCalendarDate(value) ? null : 'date_format'),
  select: (value, field) => (field.options?.some((o) => o.value === value) ? null : 'option_unknown'),
  'yes-no': (value) => (value === 'yes' || value === 'no' ? null : 'option_unknown'),
  checkbox: null,
};

/**
 * Checks one answer against its field: required, at most 500 characters, then the type's own
 * check (`FIELD_CHECKS`). Returns why it is not acceptable (a `ValidationReason`), or `null` when
 * it is fine. `context.now` is injectable so expiry checks are testable.
 */
export function validateField(
  field: CheckedField & { type: FieldType; required: boolean },
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
