/**
 * Every field type and how a form treats it, in one table: the input the frame renders, its
 * autocomplete token and keyboard, how the review step shows the answer, how card digits are
 * grouped, and whether the answer is always off the record. The `FieldType` union, the form
 * schema's enum, the frame's inputs and review step, `isOffTheRecord`, docs/form-definitions.md's
 * table and the JSON Schema's descriptions are derived from it (the last two by
 * `npm run docs:form-schema`), so a new type or a changed rule is written here once.
 *
 * Each type's validator is `FIELD_CHECKS` in validators.ts, a record the compiler requires to
 * name every type of this table. It stays there so that a bundle that only needs the type names
 * and the off-the-record rule (the agent panel) does not carry the checks and the card ranges.
 * The frame bundles this file, so it holds facts only; the prose that explains each type to form
 * authors lives with the docs generator (scripts/form-schema.ts).
 */

/** How one field type is asked, shown and checked. */
export interface FieldTypeSpec {
  /**
   * The control: an `<input>` of this type (`password` instead when the field is masked; `text`
   * when left out), or a `select`, a yes/no radio pair, a checkbox.
   */
  control?: 'email' | 'tel' | 'date' | 'select' | 'yes-no' | 'checkbox';
  /** The `inputmode`, for the on-screen keyboard. */
  inputMode?: 'numeric' | 'decimal';
  /** The `autocomplete` token; `off` for secrets a browser must not offer to save. */
  autocomplete?: string;
  maxLength?: number;
  /** A narrow input (a few characters). */
  short?: true;
  /**
   * `secret`: out of spellcheck, autocorrect and autocapitalization (so is any masked or
   * off-the-record field); `verbatim`: out of spellcheck and autocapitalization; else prose.
   */
  typing?: 'secret' | 'verbatim';
  /** Typed as dots whatever `masked` says. */
  alwaysMasked?: true;
  /** Digits grouped as the card's brand prints them while typed (`formatCardNumber`). */
  grouping?: 'card-brand';
  /**
   * How the review step shows the answer: `card` first six and last four digits, `hidden` dots
   * only, `option` the option's label, `yes-no` Yes or No, `ticked` Yes; else as typed. A masked
   * or off-the-record field is hidden whatever this says (a card number keeps its six and four).
   */
  review?: 'card' | 'hidden' | 'option' | 'yes-no' | 'ticked';
  /** Never stored, whatever the definition's `offTheRecord` says. */
  alwaysOffTheRecord?: true;
}

/**
 * The table, in the order the docs list the types. Off the record always: card verification codes
 * (PCI DSS 3.3.1.2) and PINs (3.3.1.3; a PIN that is not a card's is no less a secret).
 */
export const FIELD_TYPES = {
  'card-number': {
    inputMode: 'numeric',
    autocomplete: 'cc-number',
    maxLength: 40,
    typing: 'secret',
    grouping: 'card-brand',
    review: 'card',
  },
  expiry: { inputMode: 'numeric', autocomplete: 'cc-exp', maxLength: 7, short: true, typing: 'secret' },
  cvv: {
    inputMode: 'numeric',
    autocomplete: 'cc-csc',
    maxLength: 4,
    short: true,
    typing: 'secret',
    review: 'hidden',
    alwaysOffTheRecord: true,
  },
  'cardholder-name': { autocomplete: 'cc-name', typing: 'secret' },
  ssn: { inputMode: 'numeric', autocomplete: 'off', maxLength: 11, typing: 'secret', review: 'hidden' },
  pin: {
    inputMode: 'numeric',
    autocomplete: 'off',
    maxLength: 12,
    short: true,
    typing: 'secret',
    alwaysMasked: true,
    review: 'hidden',
    alwaysOffTheRecord: true,
  },
  'secret-answer': { autocomplete: 'off', typing: 'secret', review: 'hidden' },
  text: {},
  number: { inputMode: 'decimal' },
  email: { control: 'email', autocomplete: 'email', typing: 'verbatim' },
  phone: { control: 'tel', autocomplete: 'tel' },
  date: { control: 'date' },
  select: { control: 'select', review: 'option' },
  'yes-no': { control: 'yes-no', review: 'yes-no' },
  checkbox: { control: 'checkbox', review: 'ticked' },
} as const satisfies Record<string, FieldTypeSpec>;

export type FieldType = keyof typeof FIELD_TYPES;

/** The type names in table order, for enums. */
// Marked pure so that a bundle which never uses the list (the form frame) drops the call.
export const FIELD_TYPE_NAMES = /* @__PURE__ */ Object.keys(FIELD_TYPES) as [FieldType, ...FieldType[]];

/** The spec of a type, widened to `FieldTypeSpec` so every optional member can be read. */
export function fieldTypeSpec(type: FieldType): FieldTypeSpec {
  return FIELD_TYPES[type];
}

/**
 * The `<input type>` of a text-like field: `password` when it is masked or its type always is,
 * except a date, which keeps the browser's date picker.
 */
export function inputType(field: { type: FieldType; masked: boolean }): string {
  const spec = fieldTypeSpec(field.type);
  if (spec.control === 'date') return 'date';
  return field.masked || spec.alwaysMasked ? 'password' : (spec.control ?? 'text');
}
