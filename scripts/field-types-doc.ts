/**
 * What each field type is, said for form authors: the facts come from `FIELD_TYPES`
 * (packages/shared/src/field-types.ts), the prose (what the type asks, what its validator
 * accepts) is here, one entry per type. Used by scripts/form-schema.ts for the JSON Schema's
 * field-type descriptions and for the field-type table in docs/form-definitions.md, which
 * `npm run docs:form-schema` rewrites between its markers; scripts/form-schema.test.ts fails when
 * either committed text differs from what this generates.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import { FIELD_TYPE_NAMES, fieldTypeSpec, type FieldType } from '../packages/shared/src/field-types.js';

export const FORM_DEFINITIONS_DOC = fileURLToPath(new URL('../docs/form-definitions.md', import.meta.url));

/** Prose per type: what is asked, and what its validator (`FIELD_CHECKS`) accepts. */
const PROSE: Record<FieldType, { asks: string; checked: string }> = {
  'card-number': {
    asks: 'Card number',
    checked:
      'a network issues it (not starting with 0, nor with 1 unless `airlineCards`), length for the brand, Luhn check digit; sent as digits only',
  },
  expiry: { asks: 'Card expiry date', checked: '`MM/YY` or `MM/YYYY`, not in the past and at most 20 years ahead; sent as `MM/YY`' },
  cvv: { asks: 'Card security code', checked: '3 digits; 4 for American Express when the form has the card number' },
  'cardholder-name': { asks: 'Name on the card', checked: '—' },
  ssn: { asks: 'US Social Security number', checked: '`123-45-6789`, dashes optional; 000, 666 and 9xx areas refused' },
  pin: { asks: 'PIN', checked: '4 to 12 digits' },
  'secret-answer': { asks: 'Answer to a secret question or a memorable word', checked: '—' },
  text: { asks: 'Free text', checked: 'at most 500 characters' },
  number: { asks: 'A number', checked: 'an optionally negative number with `.` or `,`' },
  email: {
    asks: 'An email address',
    checked: 'what `<input type="email">` accepts (`name@domain.tld`), with no leading, trailing or doubled dot before the `@`',
  },
  phone: {
    asks: 'A telephone number',
    checked: '6 to 15 digits, an optional leading `+`, groups split by one space, dot or dash, parentheses in pairs',
  },
  date: { asks: 'A date', checked: '`YYYY-MM-DD`, a day that exists' },
  select: { asks: 'One of `options`', checked: 'one of the option values' },
  'yes-no': { asks: 'Yes or no', checked: '`yes` or `no`' },
  checkbox: { asks: 'A confirmation', checked: 'ticked, when required; the answer is `true`' },
};

const CONTROLS = {
  text: 'text',
  email: '`type="email"`',
  tel: '`type="tel"`',
  date: "the browser's date picker",
  select: 'a drop-down of `options`',
  'yes-no': 'two radio buttons',
  checkbox: 'one checkbox',
} as const;

const REVIEWS = {
  card: 'first 6 and last 4 digits',
  hidden: 'hidden',
  option: "the option's label",
  'yes-no': 'Yes or No',
  ticked: 'Yes',
} as const;

/** The input column: control or keyboard, always-dots, autocomplete token, digit grouping. */
export function inputText(type: FieldType): string {
  const spec = fieldTypeSpec(type);
  const parts: string[] = [];
  if (spec.alwaysMasked) parts.push('always dots');
  if (spec.inputMode === 'numeric') parts.push('numeric');
  else if (spec.inputMode === 'decimal') parts.push('decimal keyboard');
  else parts.push(CONTROLS[spec.control ?? 'text']);
  if (spec.autocomplete) parts.push(`\`autocomplete="${spec.autocomplete}"\``);
  if (spec.grouping === 'card-brand') parts.push('grouped as the brand prints it while typed');
  return parts.join(', ');
}

/** How the review step shows an answer of this type (when the field is neither masked nor off the record). */
export function reviewText(type: FieldType): string {
  const review = fieldTypeSpec(type).review;
  return review ? REVIEWS[review] : 'the answer as sent';
}

/** The off-the-record column. */
export function offTheRecordText(type: FieldType): string {
  return fieldTypeSpec(type).alwaysOffTheRecord ? 'always' : 'when `offTheRecord`';
}

/** One paragraph per type for the JSON Schema's `markdownEnumDescriptions`. */
export function fieldTypeDescription(type: FieldType): string {
  const { asks, checked } = PROSE[type];
  const always = fieldTypeSpec(type).alwaysOffTheRecord
    ? ' Always off the record: never stored, whatever `offTheRecord` says (PCI DSS sensitive authentication data).'
    : '';
  return `${asks}. Input: ${inputText(type)}. Checked: ${checked === '—' ? 'required only' : checked}. On the review step: ${reviewText(type)}.${always}`;
}

const BEGIN = '<!-- Generated from FIELD_TYPES (packages/shared/src/field-types.ts) by `npm run docs:form-schema`; do not edit. -->';
const END = '<!-- End of the generated field-type table. -->';

function fieldTypesMarkdown(): string {
  const rows = FIELD_TYPE_NAMES.map(
    (type) => `| \`${type}\` | ${inputText(type)} | ${PROSE[type].checked} | ${reviewText(type)} | ${offTheRecordText(type)} |`,
  );
  const list = (names: readonly string[]) => {
    const quoted = names.map((n) => `\`${n}\``);
    return `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
  };
  const secret = FIELD_TYPE_NAMES.filter((type) => fieldTypeSpec(type).typing === 'secret');
  const always = FIELD_TYPE_NAMES.filter((type) => fieldTypeSpec(type).alwaysOffTheRecord);
  return [
    BEGIN,
    '',
    '| type | input | checked | on the review step | off the record |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
    `Any field with \`masked\` or \`offTheRecord\` is hidden on the review step too. ${list(secret)} ` +
      'are kept out of spellcheck, autocorrect and autocapitalization, as is any masked or off-the-record field. ' +
      `${list(always)} answers are off the record whatever the definition says.`,
    '',
    END,
  ].join('\n');
}

/** docs/form-definitions.md with its field-type table regenerated, formatted as `prettier --write` would. */
export async function formDefinitionsDocText(current = readFileSync(FORM_DEFINITIONS_DOC, 'utf8')): Promise<string> {
  const begin = current.indexOf(BEGIN);
  const end = current.indexOf(END);
  if (begin < 0 || end < begin) throw new Error(`form-schema: ${FORM_DEFINITIONS_DOC} has lost the generated table's markers`);
  const text = current.slice(0, begin) + fieldTypesMarkdown() + current.slice(end + END.length);
  const options = await resolveConfig(FORM_DEFINITIONS_DOC);
  return format(text, { ...options, filepath: FORM_DEFINITIONS_DOC });
}
