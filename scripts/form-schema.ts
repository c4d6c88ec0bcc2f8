/**
 * The form definition as JSON Schema, for editors: generated from `formDefinitionSchema`
 * (packages/shared/src/form-definition.ts, zod/mini; imported from the source, so no build is
 * needed) by zod 4's own `z.toJSONSchema`, with
 * descriptions added so an editor explains each key while it autocompletes it.
 *
 *   npm run docs:form-schema    writes packages/shared/schema/form-definition.schema.json and the
 *                               field-type table of docs/form-definitions.md (field-types-doc.ts)
 *
 * `scripts/form-schema.test.ts` fails when the written file differs from what this generates, and
 * checks the example forms in docs/forms against both the JSON Schema and `formDefinitionSchema`.
 *
 * The schema describes what an author writes (zod's input side): keys with a default
 * (`required`, `masked`, `offTheRecord`, `openLimit`) may be left out. Three rules of
 * `formDefinitionSchema` cannot be said in JSON Schema and are checked only when a site's
 * configuration loads: field ids are unique within a form, and (said here too, as if/then) a
 * `select` field has options. `airlineCards` on a field that is not a card number is refused
 * there too; the schema only says so in its description.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  FIELD_TYPE_NAMES,
  fieldDefinitionSchema,
  fieldTypeSpec,
  formDefinitionSchema,
  localizedTextSchema,
  selectOptionSchema,
} from '../packages/shared/src/form-definition.js';
import * as z from 'zod';
import { FORM_DEFINITIONS_DOC, fieldTypeDescription, formDefinitionsDocText } from './field-types-doc.js';

export const FORM_SCHEMA_FILE = fileURLToPath(new URL('../packages/shared/schema/form-definition.schema.json', import.meta.url));

type Json = Record<string, unknown>;

const LOCALIZED_TEXT =
  'Text in English, or `{ "en": ..., "translations": { "es": ..., "fr-CA": ... } }` with translations keyed by BCP 47 language tag. The visitor sees the translation for their locale (exact tag, then its language), else English. At most 500 characters.';

/** Descriptions by JSON pointer into the generated schema; a pointer that no longer exists is an error. */
const DESCRIPTIONS: Record<string, string> = {
  '/properties/id': 'Stable id of the form within its site: lower-case letters, digits and dashes, e.g. `card-payment`.',
  '/properties/version':
    'Bump on every change. Bound into the encrypted answers as `id@version`, so answers always match the questions they were given to.',
  '/properties/title': "Shown on the invitation in the chat, in the agent panel, and as the form's heading.",
  '/properties/description': 'Shown under the heading, above the fields.',
  '/properties/fields': 'The questions, in the order they are asked (1 to 50). Field ids must be unique within the form.',
  '/properties/openLimit': 'How many times the visitor may open the form before sending it (1 to 20; default 3).',
  '/$defs/FieldDefinition/properties/id':
    'Key of the answer inside the encrypted payload: a lower-case letter, then letters, digits or _ (40 at most). Unique within the form.',
  '/$defs/FieldDefinition/properties/type':
    'What is asked. Decides the input, its autocomplete, its validation and how the answer is shown.',
  '/$defs/FieldDefinition/properties/label': "The field's label (a native <label>, or the legend of a yes/no fieldset).",
  '/$defs/FieldDefinition/properties/hint':
    'Help under the label, tied to the input with aria-describedby. Without one, expiry, cvv, ssn and pin get a built-in hint.',
  '/$defs/FieldDefinition/properties/required':
    'Whether an answer is needed to continue (default true). Optional fields say "(optional)" after their label.',
  '/$defs/FieldDefinition/properties/masked':
    'Typed as dots (an input of type password), and hidden on the review step (default false). PINs are always typed as dots.',
  '/$defs/FieldDefinition/properties/offTheRecord': `Never stored (default false; always on for ${FIELD_TYPE_NAMES.filter((t) => fieldTypeSpec(t).alwaysOffTheRecord).join(' and ')}): the answer is sealed apart, to the sending agent's key only, kept in the backend's memory for minutes (the site's off-the-record TTL), never written to disk and never readable from conversation history.`,
  '/$defs/FieldDefinition/properties/airlineCards':
    'card-number fields only (refused on others when the configuration loads): also take airline (UATP) card numbers, which start with 1 (default false; no consumer card starts with 0 or 1, so such a number is refused as a typing mistake).',
  '/$defs/FieldDefinition/properties/options': 'The choices of a select field (1 to 200; required for select, ignored otherwise).',
  '/$defs/SelectOption/properties/value': 'The answer when this option is chosen (1 to 100 characters).',
  '/$defs/SelectOption/properties/label': 'What the visitor sees for this option.',
};

function at(root: Json, pointer: string): Json {
  let node: unknown = root;
  for (const key of pointer.split('/').slice(1)) {
    node = (node as Json | undefined)?.[key];
    if (typeof node !== 'object' || node === null) throw new Error(`form-schema: no ${pointer} in the generated schema`);
  }
  return node as Json;
}

/** `{ description, ...rest }`: descriptions first, so the file reads well. */
function describe(node: Json, description: string): void {
  const rest = { ...node };
  for (const key of Object.keys(node)) delete node[key];
  Object.assign(node, { description }, rest);
}

/** The JSON Schema of a form definition (draft 2020-12), as written to {@link FORM_SCHEMA_FILE}. */
export function formDefinitionJsonSchema(): Json {
  const registry = z.registry<{ id: string; description: string }>();
  registry.add(localizedTextSchema, { id: 'LocalizedText', description: LOCALIZED_TEXT });
  registry.add(fieldDefinitionSchema, { id: 'FieldDefinition', description: 'One question of the form.' });
  registry.add(selectOptionSchema, { id: 'SelectOption', description: 'One choice of a select field.' });
  const generated = z.toJSONSchema(formDefinitionSchema, {
    target: 'draft-2020-12',
    io: 'input',
    metadata: registry,
    unrepresentable: 'throw',
  }) as Json;

  for (const [pointer, description] of Object.entries(DESCRIPTIONS)) describe(at(generated, pointer), description);

  const type = at(generated, '/$defs/FieldDefinition/properties/type');
  if (JSON.stringify(type.enum) !== JSON.stringify(FIELD_TYPE_NAMES))
    throw new Error('form-schema: the field type enum is not FIELD_TYPES');
  // VS Code's JSON editor shows these beside each value as it completes it.
  type.markdownEnumDescriptions = FIELD_TYPE_NAMES.map(fieldTypeDescription);

  // formDefinitionSchema's refinement "a select field needs options", as far as JSON Schema can say it.
  const field = at(generated, '/$defs/FieldDefinition');
  field.if = { properties: { type: { const: 'select' } }, required: ['type'] };
  field.then = { required: ['options'], properties: { options: { minItems: 1 } } };

  const { $schema, $defs, properties, ...rest } = generated;
  return {
    $schema,
    title: 'Secure Forms form definition',
    description:
      'A form an agent can send to a chat visitor (packages/shared/src/form-definition.ts). Generated from formDefinitionSchema by `npm run docs:form-schema`; do not edit by hand.',
    ...rest,
    properties: {
      $schema: {
        description: 'The JSON Schema this file follows, for editors. Not part of the form: formDefinitionSchema drops it.',
        type: 'string',
      },
      ...(properties as Json),
    },
    $defs,
  };
}

/** The file's text: two-space JSON and a final newline. */
export function formSchemaText(): string {
  return `${JSON.stringify(formDefinitionJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(FORM_SCHEMA_FILE, formSchemaText());
  writeFileSync(FORM_DEFINITIONS_DOC, await formDefinitionsDocText());
  process.stdout.write(`Wrote ${FORM_SCHEMA_FILE} and the field-type table of ${FORM_DEFINITIONS_DOC}\n`);
}
