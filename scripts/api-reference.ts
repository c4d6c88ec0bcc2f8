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
// exactly that part: the operations here, the schemas in api-reference/schema-text.ts.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Schema, SchemaText, code, escapeCell, slug } from './api-reference/schema-text.ts';

export { type Schema, slug };

export const OPENAPI_FILE = fileURLToPath(new URL('../docs/openapi.json', import.meta.url));
export const REFERENCE_FILE = fileURLToPath(new URL('../docs/http-api.md', import.meta.url));

/** A body or response's content by media type. */
type Content = Record<string, { schema?: Schema } | undefined>;
/** One operation of the document. */
interface Operation {
  summary?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: Schema }[];
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

const METHOD_ORDER = ['get', 'post', 'put', 'patch', 'delete'];

class Renderer {
  readonly doc: OpenApiDocument;
  readonly schemas: SchemaText;

  constructor(doc: OpenApiDocument) {
    this.doc = doc;
    this.schemas = new SchemaText(doc.components?.schemas ?? {});
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
    return text.replace(/\b([A-Z][A-Za-z]+)\b/g, (word) => (this.schemas.components[word] ? this.schemas.link(word) : word));
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
          return `${status}${name ? ` ${this.schemas.link(name)}` : ''}`;
        })
        .join(', ');
      lines.push(
        `| [${code(heading(o))}](#${slug(heading(o))}) | ${escapeCell(this.summary(o.op.summary ?? ''))} | ${escapeCell(this.credential(o.op.security))} | ${request ? this.schemas.link(request) : text ? `text/plain${o.op.requestBody?.required ? '' : ' (optional)'}` : '—'} | ${escapeCell(success)} |`,
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
          `- ${p.in === 'path' ? 'Path parameter' : `${p.in} parameter`} ${code(p.name)}: ${this.schemas.type(p.schema ?? {})}${p.required ? '' : ' (optional)'}${p.description ? `. ${p.description}` : ''}`,
        );
      }
      const body = o.op.requestBody?.content?.['application/json']?.schema;
      const bodyName = body && this.refName(body);
      if (body) lines.push(`- Request body (JSON): ${bodyName ? this.schemas.link(bodyName) : this.schemas.type(body)}`);
      const text = o.op.requestBody?.content?.['text/plain']?.schema;
      if (text) {
        const notes = this.schemas.notes(text);
        lines.push(
          `- Request body (text/plain${o.op.requestBody?.required ? '' : ', optional'}): ${this.schemas.type(text)}${notes ? ` (${notes})` : ''}. ${o.op.requestBody?.description ?? ''}`.trimEnd(),
        );
      }
      lines.push('', '| status | body |', '|---|---|');
      for (const [status, r] of Object.entries(o.op.responses ?? {})) {
        const schema = r.content?.['application/json']?.schema;
        // A refusal's schema is ErrorBody narrowed to the codes of that status (allOf).
        const name = this.refName(schema) ?? this.refName(schema?.allOf?.[0]);
        const what =
          name && !status.startsWith('2')
            ? `${this.schemas.link(name)}: ${r.description ?? ''}`
            : name
              ? this.schemas.link(name)
              : (r.description ?? '');
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
    for (const [name, schema] of Object.entries(this.schemas.components)) lines.push(...this.schemas.schemaSection(name, schema));
    if (this.schemas.shared.size > 0) {
      lines.push('## Shared shapes', '', 'Shapes that appear inside several of the schemas above.', '');
      for (const [name, schema] of this.schemas.shared) lines.push(...this.schemas.schemaSection(name, schema));
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
