/**
 * Masking for display. PCI DSS 3.4.1 allows at most the first six and last four digits of a
 * card number to be shown; everything else is a bullet.
 */
import { normalizeCardNumber } from './validators.js';

const BULLET = '•';

/**
 * `411111••••••1111`: the first six and last four digits of a full-length number; only the last
 * four of anything shorter than 13 digits, so that most of a short number stays hidden.
 */
export function maskCardNumber(input: string): string {
  const digits = normalizeCardNumber(input);
  if (digits.length <= 4) return BULLET.repeat(digits.length);
  const head = digits.length >= 13 ? 6 : 0;
  return digits.slice(0, head) + BULLET.repeat(digits.length - head - 4) + digits.slice(-4);
}

/** The last four digits, the one hint that may travel beside the encrypted payload. */
export function lastFour(input: string): string {
  return normalizeCardNumber(input).slice(-4);
}

/** Every character hidden; a fixed width so the length does not leak either. */
export function maskSecret(_value: string): string {
  return BULLET.repeat(8);
}
