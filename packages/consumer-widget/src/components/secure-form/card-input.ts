/**
 * A card number as it is typed: grouped as the brand prints it, the caret kept after the same
 * digit. Pure (the element applies the result to its input), tested in node.
 */
import { formatCardNumber } from '@secure-forms/shared/validators';

/**
 * `raw` (an input's value, the caret at `caret`) grouped as its brand prints it, with where the
 * caret goes; null when there is nothing to change (already grouped, or not digits, spaces and
 * dashes only: the visitor's text is then left as typed).
 */
export function groupCardDigits(raw: string, caret: number): { value: string; caret: number } | null {
  if (!/^[\d\s-]*$/.test(raw)) return null;
  const digitsBefore = raw.slice(0, caret).replace(/\D/g, '').length;
  const value = formatCardNumber(raw);
  if (value === raw) return null;
  let pos = 0;
  for (let seen = 0; pos < value.length && seen < digitsBefore; pos++) if (/\d/.test(value[pos]!)) seen++;
  return { value, caret: pos };
}
