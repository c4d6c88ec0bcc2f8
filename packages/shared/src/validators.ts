/**
 * Field validators: pure functions used by the frame before encrypting (so the visitor gets an
 * error they can fix) and by tests. The backend never sees the values, so it cannot re-check them;
 * that is why they live here, once.
 */
import type { FieldType } from './form-definition.js';

export type CardBrand = 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'diners' | 'unionpay' | 'maestro';

interface BrandRule {
  brand: CardBrand;
  /** Inclusive IIN ranges on the leading digits. */
  ranges: ReadonlyArray<readonly [number, number]>;
  lengths: readonly number[];
  cvvLength: number;
  /** Digit group sizes used to display the number as typed. */
  groups: readonly number[];
}

// Ordered so that narrower ranges win (Maestro after Mastercard, UnionPay after Discover's 622).
const BRANDS: readonly BrandRule[] = [
  {
    brand: 'amex',
    ranges: [
      [34, 34],
      [37, 37],
    ],
    lengths: [15],
    cvvLength: 4,
    groups: [4, 6, 5],
  },
  {
    brand: 'diners',
    ranges: [
      [300, 305],
      [36, 36],
      [38, 39],
    ],
    lengths: [14, 16, 19],
    cvvLength: 3,
    groups: [4, 6, 4],
  },
  { brand: 'jcb', ranges: [[3528, 3589]], lengths: [16, 17, 18, 19], cvvLength: 3, groups: [4, 4, 4, 4, 3] },
  { brand: 'visa', ranges: [[4, 4]], lengths: [13, 16, 19], cvvLength: 3, groups: [4, 4, 4, 4, 3] },
  {
    brand: 'mastercard',
    ranges: [
      [51, 55],
      [2221, 2720],
    ],
    lengths: [16],
    cvvLength: 3,
    groups: [4, 4, 4, 4],
  },
  {
    brand: 'discover',
    ranges: [
      [6011, 6011],
      [644, 649],
      [65, 65],
      [622126, 622925],
    ],
    lengths: [16, 17, 18, 19],
    cvvLength: 3,
    groups: [4, 4, 4, 4, 3],
  },
  {
    brand: 'unionpay',
    ranges: [
      [62, 62],
      [81, 81],
    ],
    lengths: [16, 17, 18, 19],
    cvvLength: 3,
    groups: [4, 4, 4, 4, 3],
  },
  {
    brand: 'maestro',
    ranges: [
      [50, 50],
      [56, 58],
      [6, 6],
    ],
    lengths: [12, 13, 14, 15, 16, 17, 18, 19],
    cvvLength: 3,
    groups: [4, 4, 4, 4, 3],
  },
];

/** Remove the spaces and hyphens people type between digit groups. */
export function normalizeCardNumber(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** The Luhn (mod 10) check digit test, on digits only. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function ruleFor(digits: string): BrandRule | undefined {
  return BRANDS.find((rule) =>
    rule.ranges.some(([lo, hi]) => {
      const width = String(lo).length;
      if (digits.length < width) return false;
      const prefix = Number(digits.slice(0, width));
      return prefix >= lo && prefix <= hi;
    }),
  );
}

/** The card network of a (possibly partial) card number, or undefined while unknown. */
export function detectCardBrand(input: string): CardBrand | undefined {
  return ruleFor(normalizeCardNumber(input))?.brand;
}

/** CVV length for a brand: 4 for American Express, else 3. */
export function cvvLengthFor(brand: CardBrand | undefined): number {
  return BRANDS.find((b) => b.brand === brand)?.cvvLength ?? 3;
}

/** Group digits as the brand prints them: `4111 1111 1111 1111`, `3782 822463 10005`. */
export function formatCardNumber(input: string): string {
  const digits = normalizeCardNumber(input).replace(/\D/g, '');
  const groups = ruleFor(digits)?.groups ?? [4, 4, 4, 4, 3];
  const out: string[] = [];
  let at = 0;
  for (const size of groups) {
    if (at >= digits.length) break;
    out.push(digits.slice(at, at + size));
    at += size;
  }
  if (at < digits.length) out.push(digits.slice(at));
  return out.join(' ');
}

/**
 * Why a value is not acceptable for a field, as a stable reason key the widgets localize;
 * `null` when it is fine. `now` is injectable so expiry checks are testable.
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

const MAX_LENGTH = 500;

/** Parse `MM/YY` or `MM/YYYY` (also `MM-YY`, `MMYY`). */
export function parseExpiry(input: string): { month: number; year: number } | undefined {
  const m = /^\s*(\d{1,2})\s*[/\-\s]?\s*(\d{2}|\d{4})\s*$/.exec(input);
  if (!m) return undefined;
  const month = Number(m[1]);
  let year = Number(m[2]);
  if (month < 1 || month > 12) return undefined;
  if (year < 100) year += 2000;
  return { month, year };
}

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
  switch (field.type) {
    case 'card-number': {
      const digits = normalizeCardNumber(value);
      if (!/^\d+$/.test(digits)) return 'card_number_format';
      const rule = ruleFor(digits);
      const lengths = rule?.lengths ?? [12, 13, 14, 15, 16, 17, 18, 19];
      if (!lengths.includes(digits.length)) return 'card_number_length';
      return luhnValid(digits) ? null : 'card_number_luhn';
    }
    case 'expiry': {
      const parsed = parseExpiry(value);
      if (!parsed) return 'expiry_format';
      const now = context.now ?? new Date();
      const current = now.getFullYear() * 12 + now.getMonth();
      return parsed.year * 12 + (parsed.month - 1) < current ? 'expiry_past' : null;
    }
    case 'cvv': {
      if (!/^\d+$/.test(value)) return 'cvv_format';
      const brand = context.cardNumber ? detectCardBrand(context.cardNumber) : undefined;
      if (brand) return value.length === cvvLengthFor(brand) ? null : 'cvv_length';
      return value.length === 3 || value.length === 4 ? null : 'cvv_length';
    }
    case 'ssn':
      return /^(?!000|666|9\d\d)\d{3}-?(?!00)\d{2}-?(?!0000)\d{4}$/.test(value) ? null : 'ssn_format';
    case 'pin':
      return /^\d{4,12}$/.test(value) ? null : 'pin_format';
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? null : 'email_format';
    case 'phone':
      return /^\+?[\d\s().-]{6,20}$/.test(value) && /\d{6,}/.test(value.replace(/\D/g, '')) ? null : 'phone_format';
    case 'number':
      return /^-?\d+([.,]\d+)?$/.test(value) ? null : 'number_format';
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value)) ? null : 'date_format';
    case 'select':
      return field.options?.some((o) => o.value === value) ? null : 'option_unknown';
    case 'yes-no':
      return value === 'yes' || value === 'no' ? null : 'option_unknown';
    default:
      return null;
  }
}
