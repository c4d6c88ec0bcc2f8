/**
 * The form definition's JSON Schema (packages/shared/schema/form-definition.schema.json) and the
 * example forms in docs/forms: the committed schema is what `npm run docs:form-schema` generates
 * from `formDefinitionSchema` now, every example parses with `formDefinitionSchema` and validates
 * against the JSON Schema, and the two agree on what they refuse.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FIELD_TYPE_NAMES, formDefinitionSchema } from '../packages/shared/src/form-definition.js';
import { describe, expect, it } from 'vitest';
import { FORM_DEFINITIONS_DOC, formDefinitionsDocText } from './field-types-doc.js';
import { FORM_SCHEMA_FILE, formSchemaText } from './form-schema.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FORMS_DIR = join(ROOT, 'docs/forms');

type Schema = Record<string, unknown>;

/**
 * A JSON Schema (2020-12) validator for exactly the keywords the generated schema uses. A keyword
 * it does not know is an error, so a change in what zod emits cannot pass unchecked. Returns the
 * failures as `pointer: keyword` lines.
 */
function validate(root: Schema, value: unknown): string[] {
  const ANNOTATIONS = new Set(['$schema', 'title', 'description', 'default', 'markdownEnumDescriptions', '$defs']);
  const errors: string[] = [];
  const typeOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v);
  const check = (schema: Schema, v: unknown, path: string): boolean => {
    const before = errors.length;
    const fail = (keyword: string) => errors.push(`${path || '/'}: ${keyword}`);
    const isObject = typeof v === 'object' && v !== null && !Array.isArray(v);
    for (const [keyword, arg] of Object.entries(schema)) {
      switch (keyword) {
        case '$ref': {
          const name = /^#\/\$defs\/(\w+)$/.exec(String(arg))?.[1];
          const target = name ? (root.$defs as Record<string, Schema> | undefined)?.[name] : undefined;
          if (!target) throw new Error(`unresolvable $ref ${String(arg)}`);
          check(target, v, path);
          break;
        }
        case 'type': {
          const types = Array.isArray(arg) ? arg : [arg];
          const t = typeOf(v);
          if (!types.includes(t) && !(t === 'integer' && types.includes('number'))) fail('type');
          break;
        }
        case 'enum':
          if (!(arg as unknown[]).includes(v)) fail('enum');
          break;
        case 'const':
          if (v !== arg) fail('const');
          break;
        case 'pattern':
          if (typeof v === 'string' && !new RegExp(String(arg), 'u').test(v)) fail('pattern');
          break;
        case 'minLength':
          if (typeof v === 'string' && [...v].length < Number(arg)) fail('minLength');
          break;
        case 'maxLength':
          if (typeof v === 'string' && [...v].length > Number(arg)) fail('maxLength');
          break;
        case 'minimum':
          if (typeof v === 'number' && v < Number(arg)) fail('minimum');
          break;
        case 'maximum':
          if (typeof v === 'number' && v > Number(arg)) fail('maximum');
          break;
        case 'minItems':
          if (Array.isArray(v) && v.length < Number(arg)) fail('minItems');
          break;
        case 'maxItems':
          if (Array.isArray(v) && v.length > Number(arg)) fail('maxItems');
          break;
        case 'items':
          if (Array.isArray(v)) v.forEach((item, i) => check(arg as Schema, item, `${path}/${i}`));
          break;
        case 'required':
          if (isObject) for (const key of arg as string[]) if (!(key in v)) fail(`required ${key}`);
          break;
        case 'properties':
          if (isObject) {
            for (const [key, sub] of Object.entries(arg as Record<string, Schema>)) {
              if (key in v) check(sub, (v as Record<string, unknown>)[key], `${path}/${key}`);
            }
          }
          break;
        case 'additionalProperties':
          if (isObject) {
            const known = Object.keys((schema.properties as Schema | undefined) ?? {});
            for (const [key, item] of Object.entries(v)) {
              if (known.includes(key)) continue;
              if (arg === false) fail(`additionalProperties ${key}`);
              else if (typeof arg === 'object') check(arg as Schema, item, `${path}/${key}`);
            }
          }
          break;
        case 'propertyNames':
          if (isObject) for (const key of Object.keys(v)) check(arg as Schema, key, `${path}/${key}`);
          break;
        case 'anyOf': {
          const mark = errors.length;
          const passes = (arg as Schema[]).filter((sub) => {
            const at = errors.length;
            const ok = check(sub, v, path);
            errors.length = at;
            return ok;
          });
          errors.length = mark;
          if (passes.length === 0) fail('anyOf');
          break;
        }
        case 'if': {
          const at = errors.length;
          const holds = check(arg as Schema, v, path);
          errors.length = at;
          if (holds && schema.then) check(schema.then as Schema, v, path);
          if (!holds && schema.else) check(schema.else as Schema, v, path);
          break;
        }
        case 'then':
        case 'else':
          break;
        default:
          if (!ANNOTATIONS.has(keyword)) throw new Error(`the test validator does not know the keyword ${keyword}`);
      }
    }
    return errors.length === before;
  };
  check(root, value, '');
  return errors;
}

const schema = JSON.parse(readFileSync(FORM_SCHEMA_FILE, 'utf8')) as Schema;
const examples = readdirSync(FORMS_DIR)
  .filter((name) => name.endsWith('.json'))
  .sort()
  .map((name) => ({ name, form: JSON.parse(readFileSync(join(FORMS_DIR, name), 'utf8')) as Record<string, unknown> }));

describe('the form definition JSON Schema', () => {
  it('is what `npm run docs:form-schema` generates from formDefinitionSchema (run it when this fails)', () => {
    expect(readFileSync(FORM_SCHEMA_FILE, 'utf8')).toBe(formSchemaText());
  });

  it('accepts the forms of the demo site', () => {
    const sites = JSON.parse(readFileSync(join(ROOT, 'demo/server/sites.json'), 'utf8')) as { sites: { forms: unknown[] }[] };
    const forms = sites.sites.flatMap((s) => s.forms);
    expect(forms.length).toBeGreaterThan(0);
    for (const form of forms) expect(validate(schema, form)).toEqual([]);
  });

  it('refuses what formDefinitionSchema refuses', () => {
    const base = examples.find((e) => e.name === 'phone-banking.json')!.form;
    const fields = base.fields as Record<string, unknown>[];
    const withField = (i: number, change: Record<string, unknown>) => ({
      ...base,
      fields: fields.map((f, j) => (j === i ? { ...f, ...change } : f)),
    });
    const broken: Record<string, unknown>[] = [
      { ...base, id: 'Card Payment' },
      { ...base, version: 0 },
      { ...base, version: 1.5 },
      { ...base, title: '' },
      { ...base, title: { translations: { es: 'Hola' } } },
      { ...base, fields: [] },
      { ...base, openLimit: 21 },
      withField(0, { type: 'dropdown' }),
      withField(0, { id: 'Account-1' }),
      withField(0, { options: [] }),
      withField(0, { options: undefined }),
      withField(0, { required: 'yes' }),
      withField(0, { label: 'x'.repeat(501) }),
      Object.fromEntries(Object.entries(base).filter(([key]) => key !== 'fields')),
    ];
    for (const form of broken) {
      expect(formDefinitionSchema.safeParse(form).success, JSON.stringify(form)).toBe(false);
      expect(validate(schema, JSON.parse(JSON.stringify(form))), JSON.stringify(form)).not.toEqual([]);
    }
  });
});

describe('the field-type table in docs/form-definitions.md', () => {
  it('is what `npm run docs:form-schema` generates from FIELD_TYPES (run it when this fails)', async () => {
    const committed = readFileSync(FORM_DEFINITIONS_DOC, 'utf8');
    expect(committed).toBe(await formDefinitionsDocText(committed));
  });

  it('lists every field type once', () => {
    const committed = readFileSync(FORM_DEFINITIONS_DOC, 'utf8');
    for (const type of FIELD_TYPE_NAMES) expect(committed.match(new RegExp(`^\\| \`${type}\` +\\|`, 'gm')), type).toHaveLength(1);
  });
});

describe('the example forms in docs/forms', () => {
  it('exist, and show every field type between them', () => {
    expect(examples.length).toBeGreaterThan(0);
    const types = new Set(examples.flatMap((e) => (e.form.fields as { type: string }[]).map((f) => f.type)));
    expect([...FIELD_TYPE_NAMES].filter((t) => !types.has(t))).toEqual([]);
  });

  for (const { name, form } of examples) {
    describe(name, () => {
      it('points its $schema at the committed JSON Schema', () => {
        expect(form.$schema).toBe(relative(FORMS_DIR, FORM_SCHEMA_FILE).split('\\').join('/'));
        expect(join(dirname(join(FORMS_DIR, name)), String(form.$schema))).toBe(FORM_SCHEMA_FILE);
      });

      it('parses with formDefinitionSchema, its file name being its id', () => {
        const parsed = formDefinitionSchema.safeParse(form);
        expect(parsed.success, parsed.error?.message).toBe(true);
        expect(`${parsed.data?.id}.json`).toBe(name);
      });

      it('validates against the JSON Schema', () => {
        expect(validate(schema, form)).toEqual([]);
      });
    });
  }
});
