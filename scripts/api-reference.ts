#!/usr/bin/env node
// The HTTP API reference in Markdown (docs/http-api.md), generated from the OpenAPI document
// (docs/openapi.json, itself generated from the zod schemas by `npm run openapi -w
// @secure-forms/demo`). Deterministic: the same document always gives the same text.
//
//   npm run docs:api     writes docs/http-api.md
//
// scripts/api-reference.test.ts fails when docs/http-api.md is not what this renders from
// docs/openapi.json. No dependency: the document uses a small part of OpenAPI 3.1 (JSON bodies, a
// text/plain body, path parameters, header credentials) and of JSON Schema, and this renders
// exactly that part.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const OPENAPI_FILE = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
export const REFERENCE_FILE = fileURLToPath(new URL('../docs/http-api.md', import.meta.url));

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
/** A body or response's content by media type. */
type Content = Record<string, { schema?: Schema } | undefined>;
/** One operation of the document. */
interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { required?: boolean; description?: string; content?: Content };
  responses?: Record<string, { description?: string; content?: Content }>;
}
/** The part of an OpenAPI 3.1 document the reference renders. */
export interface OpenApiDocument {
  openapi: string;
  info?: { title?: string; version?: string; description?: string };
  paths?: Record<string, Partial<Record<string, Operation>>>;
  components?: {
    schemas?: Record<string, Schema>;
    securitySchemes?: Record<string, { name: string; description?: string }>;
  };
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

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];
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
const escapeCell = (text: string) => String(text).replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (value: unknown) => {
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

class Renderer {
  readonly doc: OpenApiDocument;
  readonly components: Record<string, Schema>;
  /** canonical JSON -> name, for components and named shared shapes. */
  readonly names = new Map<string, string>();
  /** The repeated shapes described under "Shared shapes", by name. */
  readonly shared = new Map<string, Schema>();

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    this.components = doc.components?.schemas ?? {};
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

  credential(security: Operation['security']): string {
    if (!security || security.length === 0) return 'none';
    const schemes = this.doc.components?.securitySchemes ?? {};
    const one = (name: string) => {
      const scheme = schemes[name];
      return scheme ? `${code(`${scheme.name}: ${scheme.description ?? `<${name}>`}`)}` : code(name);
    };
    return security.map((requirement) => Object.keys(requirement).map(one).join(' and ')).join(', or ');
  }

  operations(): { path: string; method: string; op: Operation }[] {
    const ops: { path: string; method: string; op: Operation }[] = [];
    for (const [path, item] of Object.entries(this.doc.paths ?? {})) {
      for (const method of METHOD_ORDER) {
        const op = item[method];
        if (op) ops.push({ path, method, op });
      }
    }
    return ops;
  }

  refName(schema: Schema | undefined): string | undefined {
    const ref = schema?.$ref;
    return typeof ref === 'string' ? ref.replace('#/components/schemas/', '') : undefined;
  }

  /** The summary, with component names in it linked. */
  summary(text: string): string {
    return text.replace(/\b([A-Z][A-Za-z]+)\b/g, (word) => (this.components[word] ? this.link(word) : word));
  }

  render(): string {
    const { info = {} } = this.doc;
    const ops = this.operations();
    const heading = (o: { method: string; path: string }) => `${o.method.toUpperCase()} ${o.path}`;
    const lines = [
      '# HTTP API reference',
      '',
      '<!-- Generated from docs/openapi.json by `npm run docs:api` (scripts/api-reference.ts). Do not edit by hand. -->',
      '',
      `${info.title ?? 'API'}, version ${info.version ?? '?'}. ${info.description ?? ''}`.trim(),
      '',
      `Rendered from [\`openapi.json\`](./openapi.json) (OpenAPI ${this.doc.openapi}). ` +
        'How the calls fit together: [architecture.md](./architecture.md); the security model: [security.md](./security.md).',
      '',
      '## Credentials',
      '',
      'Each request carries at most the credentials its operation lists, each in its own header. No cookies.',
      '',
      '| name | header | value |',
      '|---|---|---|',
    ];
    for (const [name, scheme] of Object.entries(this.doc.components?.securitySchemes ?? {})) {
      lines.push(`| ${name} | ${code(scheme.name)} | ${scheme.description ? code(scheme.description) : `the ${name} token`} |`);
    }
    lines.push('', '## Operations', '', '| operation | what | credential | request | success |', '|---|---|---|---|---|');
    for (const o of ops) {
      const request = this.refName(o.op.requestBody?.content?.['application/json']?.schema);
      const text = o.op.requestBody?.content?.['text/plain'];
      const success = Object.entries(o.op.responses ?? {})
        .filter(([status]) => status.startsWith('2'))
        .map(([status, r]) => {
          const name = this.refName(r.content?.['application/json']?.schema);
          return `${status}${name ? ` ${this.link(name)}` : ''}`;
        })
        .join(', ');
      lines.push(
        `| [${code(heading(o))}](#${slug(heading(o))}) | ${escapeCell(this.summary(o.op.summary ?? ''))} | ${escapeCell(this.credential(o.op.security))} | ${request ? this.link(request) : text ? `text/plain${o.op.requestBody?.required ? '' : ' (optional)'}` : '—'} | ${escapeCell(success)} |`,
      );
    }
    lines.push('');
    for (const o of ops) {
      lines.push(
        `### ${code(heading(o))}`,
        '',
        `${this.summary(o.op.summary ?? '')}.`,
        '',
        `- Credential: ${this.credential(o.op.security)}`,
      );
      for (const p of o.op.parameters ?? []) {
        lines.push(
          `- ${p.in === 'path' ? 'Path parameter' : `${p.in} parameter`} ${code(p.name)}: ${this.type(p.schema ?? {})}${p.required ? '' : ' (optional)'}`,
        );
      }
      const body = o.op.requestBody?.content?.['application/json']?.schema;
      const bodyName = body && this.refName(body);
      if (body) lines.push(`- Request body (JSON): ${bodyName ? this.link(bodyName) : this.type(body)}`);
      const text = o.op.requestBody?.content?.['text/plain']?.schema;
      if (text) {
        const notes = this.notes(text);
        lines.push(
          `- Request body (text/plain${o.op.requestBody?.required ? '' : ', optional'}): ${this.type(text)}${notes ? ` (${notes})` : ''}. ${o.op.requestBody?.description ?? ''}`.trimEnd(),
        );
      }
      lines.push('', '| status | body |', '|---|---|');
      for (const [status, r] of Object.entries(o.op.responses ?? {})) {
        const schema = r.content?.['application/json']?.schema;
        // A refusal's schema is ErrorBody narrowed to the codes of that status (allOf).
        const name = this.refName(schema) ?? this.refName(schema?.allOf?.[0]);
        const what =
          name && !status.startsWith('2') ? `${this.link(name)}: ${r.description ?? ''}` : name ? this.link(name) : (r.description ?? '');
        lines.push(
          `| ${status === 'default' ? 'any refusal' : status} | ${escapeCell(status === 'default' && name ? `${what}: ${r.description}` : what)} |`,
        );
      }
      lines.push('');
    }
    lines.push(
      '## Schemas',
      '',
      'Request bodies list what a client sends; defaults apply to fields left out. Response bodies list what the server sends.',
      '',
    );
    for (const [name, schema] of Object.entries(this.components)) lines.push(...this.schemaSection(name, schema));
    if (this.shared.size > 0) {
      lines.push('## Shared shapes', '', 'Shapes that appear inside several of the schemas above.', '');
      for (const [name, schema] of this.shared) lines.push(...this.schemaSection(name, schema));
    }
    return `${lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd()}\n`;
  }
}

/** The Markdown reference for an OpenAPI document. */
export function renderApiReference(doc: OpenApiDocument): string {
  return new Renderer(doc).render();
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument;
  writeFileSync(REFERENCE_FILE, renderApiReference(doc));
  process.stdout.write(`Wrote ${REFERENCE_FILE}\n`);
}
