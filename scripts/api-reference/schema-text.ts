// The schema layer of the HTTP API reference (scripts/api-reference.ts): the part of JSON Schema
// that docs/openapi.json uses, rendered as Markdown text and tables. Deterministic: the same
// schemas always give the same text.

/** The part of JSON Schema the document uses. */
export interface Schema {
  type?: string | string[];
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  additionalProperties?: boolean | Schema;
  oneOf?: Schema[];
  anyOf?: Schema[];
  allOf?: Schema[];
  const?: unknown;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minimum?: number;
  maximum?: number;
  default?: unknown;
  $ref?: string;
}
/**
 * Names for object shapes that appear in several schemas but are not components themselves,
 * keyed by their sorted property names. A repeated shape with a name here is described once under
 * "Shared shapes" and linked from everywhere it appears; any other shape is described inline.
 */
const SHAPE_NAMES: Record<string, string> = {
  'aad,ciphertext,iv,protected,recipients,tag,unprotected': 'SealedEnvelope',
  'description,fields,id,openLimit,title,version': 'FormDefinition',
  'hint,id,label,masked,offTheRecord,options,required,type': 'FieldDefinition',
  'crv,kid,kty,x,y': 'PublicJwk',
  'displayName,id,permissions,role,siteId,username': 'Operator',
  'cardBrand,lastFour': 'DisplayHints',
};
/** Text in English or with translations: an anyOf of a string and `{ en, translations }`. */
const LOCALIZED_TEXT = 'LocalizedText';

const MAX_SAFE = 9007199254740991;

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/**
 * A shape's identity: its JSON with sorted keys, without `additionalProperties: false` (which
 * zod writes for response bodies but not for request bodies), so a shape used both ways is one.
 */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (key, v: unknown) => {
    if (key === 'additionalProperties' && v === false) return undefined;
    return v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, (v as Record<string, unknown>)[k]]),
        )
      : v;
  });
const isObject = (s: Schema | undefined): s is Schema =>
  !!s && typeof s === 'object' && (s.type === 'object' || s.properties !== undefined);
const variants = (s: Schema) => s.oneOf ?? s.anyOf;
/** Text for a Markdown table cell: pipes escaped, line breaks folded. */
export const escapeCell = (text: string) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
/** Inline code, with a longer fence when the text holds a backtick. */
export const code = (value: unknown) => {
  const text = String(value);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
};

function isLocalizedText(s: Schema): boolean {
  const v = s.anyOf;
  return (
    Array.isArray(v) &&
    v.length === 2 &&
    v[0]!.type === 'string' &&
    isObject(v[1]) &&
    Object.keys(v[1].properties ?? {})
      .sort()
      .join(',') === 'en,translations'
  );
}

/** `X or null` unions: the non-null part, or null when `s` is not one. */
function nullable(s: Schema): Schema | null {
  const v = variants(s);
  if (!Array.isArray(v) || v.length !== 2) return null;
  const rest = v.filter((x) => x.type !== 'null');
  return rest.length === 1 ? rest[0]! : null;
}

/**
 * The schema layer of the reference: a type and notes for one table cell, the table rows of an
 * object (nested objects flattened with dotted paths), the section of one component, and the
 * repeated shapes named and described once.
 */
export class SchemaText {
  readonly components: Record<string, Schema>;
  /** canonical JSON -> name, for components and named shared shapes. */
  readonly names = new Map<string, string>();
  /** The repeated shapes described under "Shared shapes", by name. */
  readonly shared = new Map<string, Schema>();

  constructor(components: Record<string, Schema>) {
    this.components = components;
    for (const [name, schema] of Object.entries(this.components)) this.names.set(canonical(schema), name);
    this.collectShared();
  }

  /** Find repeated, named shapes inside the components. */
  collectShared(): void {
    const seen = new Map<string, { name: string; schema: Schema; count: number }>();
    const visit = (s: Schema | undefined, top: boolean) => {
      if (!s || typeof s !== 'object') return;
      if (!top) {
        const name = isLocalizedText(s)
          ? LOCALIZED_TEXT
          : isObject(s)
            ? SHAPE_NAMES[
                Object.keys(s.properties ?? {})
                  .sort()
                  .join(',')
              ]
            : undefined;
        if (name) {
          const key = canonical(s);
          const entry = seen.get(key) ?? { name, schema: s, count: 0 };
          entry.count++;
          seen.set(key, entry);
        }
      }
      for (const sub of Object.values(s.properties ?? {})) visit(sub, false);
      if (s.items) visit(s.items, false);
      if (s.additionalProperties && typeof s.additionalProperties === 'object') visit(s.additionalProperties, false);
      for (const sub of variants(s) ?? []) visit(sub, false);
    };
    for (const schema of Object.values(this.components)) visit(schema, true);
    const used = new Set(Object.keys(this.components));
    const entries = [...seen.entries()].filter(([key, e]) => e.count > 1 && !this.names.has(key));
    entries.sort((a, b) => a[1].name.localeCompare(b[1].name) || a[0].localeCompare(b[0]));
    for (const [key, entry] of entries) {
      let name = entry.name;
      for (let n = 2; used.has(name); n++) name = `${entry.name}${n}`;
      used.add(name);
      this.names.set(key, name);
      this.shared.set(name, entry.schema);
    }
  }

  /** A link to the section of a component or shared shape. */
  link(name: string): string {
    return `[${name}](#${slug(name)})`;
  }

  /** The name of a component or shared shape equal to `s`, unless `s` is the one being described. */
  nameOf(s: Schema, self?: string): string | undefined {
    const name = this.names.get(canonical(s));
    return name && name !== self ? name : undefined;
  }

  /** A short type for one table cell. */
  type(s: Schema, self?: string): string {
    const named = this.nameOf(s, self);
    if (named) return this.link(named);
    const inner = nullable(s);
    if (inner) return `${this.type(inner, self)} or null`;
    const v = variants(s);
    if (v) return v.map((x) => this.type(x, self)).join(' or ');
    if (s.const !== undefined) return code(JSON.stringify(s.const));
    const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
    if (types.length > 1) return types.join(' or ');
    switch (types[0]) {
      case 'array':
        return `array of ${s.items ? this.type(s.items, self) : 'any'}`;
      case 'object':
        if (!s.properties && s.additionalProperties && typeof s.additionalProperties === 'object') {
          const value = Object.keys(s.additionalProperties).length ? this.type(s.additionalProperties, self) : 'any';
          return `map of string to ${value}`;
        }
        return 'object';
      case 'string':
        return s.format ? `string (${s.format})` : 'string';
      case undefined:
        return 'any';
      default:
        return types[0];
    }
  }

  /** Constraints and notes for one table cell. */
  notes(s: Schema): string {
    const inner = nullable(s) ?? s;
    const out: string[] = [];
    if (inner.description) out.push(inner.description);
    if (Array.isArray(inner.enum)) out.push(`one of ${inner.enum.map((e) => code(e)).join(', ')}`);
    if (inner.pattern && !inner.format) out.push(`pattern ${code(inner.pattern)}`);
    const range = (min: number | undefined, max: number | undefined, unit: string) => {
      if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}${unit}` : `${min} to ${max}${unit}`;
      if (min !== undefined) return `at least ${min}${unit}`;
      if (max !== undefined) return `at most ${max}${unit}`;
      return null;
    };
    const chars = range(inner.minLength, inner.maxLength, ' characters');
    if (chars) out.push(chars);
    const items = range(inner.minItems, inner.maxItems, ' items');
    if (items) out.push(items);
    const value = range(inner.minimum, inner.maximum === MAX_SAFE ? undefined : inner.maximum, '');
    if (value) out.push(value);
    if (inner.default !== undefined) out.push(`default ${code(JSON.stringify(inner.default))}`);
    if (inner.type === 'array' && inner.items && !this.nameOf(inner.items) && !isObject(inner.items)) {
      const each = this.notes(inner.items);
      if (each) out.push(`each: ${each}`);
    }
    return out.join('; ');
  }

  /** Table rows for an object's properties, nested objects flattened with dotted paths. */
  rows(s: Schema, prefix: string, self: string | undefined, out: string[] = []): string[] {
    const required = new Set(s.required ?? []);
    for (const [key, sub] of Object.entries(s.properties ?? {})) {
      const path = prefix ? `${prefix}.${key}` : key;
      out.push(
        `| ${code(path)} | ${escapeCell(this.type(sub, self))} | ${required.has(key) ? 'yes' : 'no'} | ${escapeCell(this.notes(sub))} |`,
      );
      this.nested(sub, path, self, out);
    }
    return out;
  }

  /** Rows for what is inside a property: an object, an array of objects, or either of them or null. */
  nested(sub: Schema, path: string, self: string | undefined, out: string[]): unknown {
    if (this.nameOf(sub, self)) return;
    const inner = nullable(sub);
    if (inner) return this.nested(inner, path, self, out);
    if (isObject(sub) && sub.properties) return this.rows(sub, path, self, out);
    if (sub.type === 'array' && sub.items) return this.nested(sub.items, `${path}[]`, self, out);
    const v = variants(sub);
    if (v && v.every((x) => isObject(x) && x.properties)) {
      for (const variant of v) this.rows(variant, `${path}〈${this.discriminator(variant)}〉`, self, out);
    }
  }

  /** `kind = "text"`: the constant property that tells a union's object variants apart. */
  discriminator(variant: Schema): string {
    for (const [key, sub] of Object.entries(variant.properties ?? {}))
      if (sub.const !== undefined) return `${key} = ${JSON.stringify(sub.const)}`;
    return 'variant';
  }

  /** The description of one component or shared shape. */
  schemaSection(name: string, s: Schema): string[] {
    const lines = [`### ${name}`, ''];
    if (typeof s.description === 'string') lines.push(s.description, '');
    const header = ['| field | type | required | notes |', '|---|---|---|---|'];
    const v = variants(s);
    if (isLocalizedText(s)) {
      lines.push('A string (English), or an object with the English text and its translations by BCP 47 language tag.', '');
      lines.push(...header, ...this.rows(s.anyOf![1]!, '', name), '');
    } else if (v && !nullable(s)) {
      lines.push(`One of ${v.length} shapes:`, '');
      for (const variant of v) {
        if (isObject(variant) && variant.properties) {
          lines.push(`**${this.discriminator(variant).replace(/^(\w+) = (.*)$/, '`$1`: `$2`')}**`, '');
          lines.push(...header, ...this.rows(variant, '', name), '');
        } else {
          lines.push(`- ${this.type(variant, name)}`, '');
        }
      }
    } else if (isObject(s) && s.properties) {
      lines.push(...header, ...this.rows(s, '', name), '');
    } else {
      lines.push(`${this.type(s, name)}${this.notes(s) ? ` (${this.notes(s)})` : ''}.`, '');
    }
    return lines;
  }
}
