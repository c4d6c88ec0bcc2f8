/**
 * Payment cards: the brands' IIN ranges, lengths, CVV lengths and printed digit groups; the Luhn
 * check; expiry dates. Pure functions, used by the frame while the visitor types and by the
 * field-type validators.
 */
import type { CardBrand } from './vocabulary.js';

export interface BrandRule {
  brand: CardBrand;
  /** Inclusive IIN ranges on the leading digits. */
  ranges: ReadonlyArray<readonly [number, number]>;
  lengths: readonly number[];
  cvvLength: number;
  /** Digit group sizes used to display the number as typed; fours (`FOURS`) when left out. */
  groups?: readonly number[];
}

/** Fours, with a last group of three for 19 digits: how most cards print. */
const FOURS = [4, 4, 4, 4, 3];

/** Every brand in `CARD_BRANDS` once. */
// Ordered so that narrower ranges win (Maestro after Mastercard, UnionPay after Discover's 622).
export const CARD_BRAND_RULES: readonly BrandRule[] = [
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
  { brand: 'jcb', ranges: [[3528, 3589]], lengths: [16, 17, 18, 19], cvvLength: 3 },
  { brand: 'visa', ranges: [[4, 4]], lengths: [13, 16, 19], cvvLength: 3 },
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
  },
  {
    brand: 'unionpay',
    ranges: [
      [62, 62],
      [81, 81],
    ],
    lengths: [16, 17, 18, 19],
    cvvLength: 3,
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

/** The rule of the brand whose IIN range the leading digits fall in. */
export function cardBrandRule(digits: string): BrandRule | undefined {
  return CARD_BRAND_RULES.find((rule) =>
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
  return cardBrandRule(normalizeCardNumber(input))?.brand;
}

/** CVV length for a brand: 4 for American Express, else 3. */
export function cvvLengthFor(brand: CardBrand | undefined): number {
  return CARD_BRAND_RULES.find((b) => b.brand === brand)?.cvvLength ?? 3;
}

/**
 * Group digits as the brand prints them: `4111 1111 1111 1111`, `3782 822463 10005`. A number
 * longer than its brand's groups cover is printed in fours, as most cards are: 16-digit Diners
 * Club cards read `3056 9300 0902 0004`, while the 14-digit ones keep 4-6-4.
 */
export function formatCardNumber(input: string): string {
  const digits = normalizeCardNumber(input).replace(/\D/g, '');
  const brandGroups = cardBrandRule(digits)?.groups;
  const groups = brandGroups && digits.length <= brandGroups.reduce((a, b) => a + b, 0) ? brandGroups : FOURS;
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
