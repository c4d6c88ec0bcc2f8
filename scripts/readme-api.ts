/**
 * The API sections of the package READMEs (attributes and properties, methods, events, CSS parts,
 * CSS custom properties), generated from each package's custom-elements.json, which `cem analyze`
 * writes from the components' JSDoc in the package's `npm run build`. The JSDoc is the one place
 * to word them; the README only shows it.
 *
 *   npm run docs:readme    rewrites, in each README, every section between
 *                          `<!-- api:<tag>:start -->` and `<!-- api:<tag>:end -->`
 *
 * scripts/readme-api.test.ts fails when a README's section differs from what this writes from the
 * current custom-elements.json (so build first: `npm run build`). Only the elements listed in
 * {@link READMES} get a section; every other element of a manifest must be listed too, or the
 * test says so. Written here rather than with @custom-elements-manifest/to-markdown (0.1.0): that
 * renders a whole declaration (its description, fields and attributes in separate tables, methods,
 * super class), while these READMEs keep one attributes-and-properties table with "Reflected.",
 * types as they write them, and the defaults of CSS custom properties; that much is a few lines.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { format, resolveConfig } from 'prettier';
import type { Attribute, ClassDeclaration, ClassField, ClassMethod, CustomElement, Package } from 'custom-elements-manifest/schema';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A custom element as `cem analyze` writes it. Schema 1.0.0 (the analyzer's) declares
 * `CustomElementDeclaration` without the members of `CustomElement`; schema 2 fixed that.
 */
export type ElementDeclaration = ClassDeclaration & CustomElement;
/** A field as the analyzer writes it for an element: with its attribute, `reflects` and `readonly` (as in schema 2). */
export type ElementField = ClassField & { attribute?: string; reflects?: boolean; readonly?: boolean };

/** One README and the elements it documents, each with the heading level of its API subsections. */
export interface ReadmeApi {
  /** The workspace, for the error that says to build it. */
  readonly workspace: string;
  /** custom-elements.json, from the repository root. */
  readonly manifest: string;
  /** README.md, from the repository root. */
  readonly readme: string;
  readonly elements: readonly { readonly tag: string; readonly level: 2 | 3 | 4 }[];
}

/** The READMEs with generated API sections. */
export const READMES: readonly ReadmeApi[] = [
  {
    workspace: '@secure-forms/consumer-widget',
    manifest: 'packages/consumer-widget/custom-elements.json',
    readme: 'packages/consumer-widget/README.md',
    elements: [
      { tag: 'secure-form-invite', level: 3 },
      { tag: 'secure-form-frame', level: 4 },
      { tag: 'secure-form', level: 4 },
    ],
  },
  {
    workspace: '@secure-forms/agent-panel',
    manifest: 'packages/agent-panel/custom-elements.json',
    readme: 'packages/agent-panel/README.md',
    elements: [{ tag: 'secure-form-panel', level: 2 }],
  },
];

/** The markers around one element's section. */
export const startMarker = (tag: string): string => `<!-- api:${tag}:start -->`;
export const endMarker = (tag: string): string => `<!-- api:${tag}:end -->`;
const NOTICE =
  '<!-- Generated from custom-elements.json (the JSDoc of the component) by `npm run docs:readme` (scripts/readme-api.ts); do not edit. -->';

/** The manifest of `entry`, read from disk; an error that says what to run when it is missing. */
export function readManifest(entry: ReadmeApi): Package {
  const path = `${ROOT}${entry.manifest}`;
  if (!existsSync(path)) {
    throw new Error(`readme-api: ${entry.manifest} is missing; run \`npm run build -w ${entry.workspace}\` first (cem analyze writes it)`);
  }
  return JSON.parse(readFileSync(path, 'utf8')) as Package;
}

/** Every custom element declared in a manifest. */
export function elementsOf(manifest: Package): ElementDeclaration[] {
  return manifest.modules.flatMap((m) =>
    (m.declarations ?? []).filter((d): d is ElementDeclaration => 'customElement' in d && d.customElement === true),
  );
}

function element(manifest: Package, tag: string): ElementDeclaration {
  const found = elementsOf(manifest).find((d) => d.tagName === tag);
  if (!found) throw new Error(`readme-api: custom-elements.json has no <${tag}>`);
  return found;
}

/** Text for one table cell: one line, pipes escaped. */
const cell = (text: string | undefined): string => (text ?? '').replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
const code = (text: string): string => `\`${text}\``;

/** A TypeScript type as the README writes it: `'a' | 'b'` as `` `a` | `b` ``, primitives plain. */
export function typeText(type: string | undefined): string {
  if (!type) return '';
  return type
    .split(/\s*\|\s*/)
    .map((part) => {
      const literal = /^'(.*)'$/.exec(part);
      if (literal) return code(literal[1]!);
      return ['string', 'number', 'boolean'].includes(part) ? part : code(part);
    })
    .join(' | ');
}

/** A sentence, ending in a full stop. */
const sentence = (text: string | undefined): string => {
  const trimmed = (text ?? '').trim();
  return trimmed === '' || /[.!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
};

function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)];
}

/**
 * Rows of the attributes-and-properties table: each public instance field with its attribute, in
 * source order, then any attribute that has no field.
 */
function propertyRows(el: ElementDeclaration): string[][] {
  const attributes: readonly Attribute[] = el.attributes ?? [];
  const fields = (el.members ?? []).filter(
    (m): m is ElementField => m.kind === 'field' && !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('#'),
  );
  const rows = fields.map((field) => {
    const attribute = attributes.find((a) => a.fieldName === field.name)?.name ?? field.attribute;
    const notes = [sentence(field.description), field.reflects ? 'Reflected.' : ''].filter(Boolean).join(' ');
    const type = `${typeText(field.type?.text)}${field.readonly ? ' (read only)' : ''}`;
    return [attribute ? code(attribute) : '—', code(field.name), type, notes];
  });
  for (const attribute of attributes) {
    if (attribute.fieldName && fields.some((f) => f.name === attribute.fieldName)) continue;
    rows.push([code(attribute.name), '—', typeText(attribute.type?.text), sentence(attribute.description)]);
  }
  return rows;
}

/** Rows of the methods table: each public instance method, with its parameters' names, what it returns, and its description. */
function methodRows(el: ElementDeclaration): string[][] {
  const methods = (el.members ?? []).filter(
    (m): m is ClassMethod => m.kind === 'method' && !m.static && (m.privacy ?? 'public') === 'public' && !m.name.startsWith('#'),
  );
  return methods.map((m) => {
    const parameters = (m.parameters ?? []).map((p) => `${p.name}${p.optional ? '?' : ''}`).join(', ');
    return [code(`${m.name}(${parameters})`), typeText(m.return?.type?.text) || '—', sentence(m.description)];
  });
}

/** The Markdown of one element's API section, markers included. */
export function elementSection(manifest: Package, tag: string, level: number): string {
  const el = element(manifest, tag);
  const h = '#'.repeat(level);
  const lines = [startMarker(tag), NOTICE, ''];
  const rows = propertyRows(el);
  if (rows.length) lines.push(`${h} Attributes and properties`, '', ...table(['attribute', 'property', 'type', 'meaning'], rows), '');
  const methods = methodRows(el);
  if (methods.length) lines.push(`${h} Methods`, '', ...table(['method', 'returns', 'what'], methods), '');
  const events = el.events ?? [];
  if (events.length) {
    lines.push(
      `${h} Events`,
      '',
      ...table(
        ['event', 'class', 'what'],
        events.map((e) => [code(e.name), e.type?.text ? code(e.type.text) : '—', sentence(e.description)]),
      ),
      '',
    );
  }
  const parts = el.cssParts ?? [];
  if (parts.length) {
    lines.push(
      `${h} Parts`,
      '',
      `Style them with \`${tag}::part(name)\`.`,
      '',
      ...table(
        ['part', 'what'],
        parts.map((p) => [code(p.name), sentence(p.description)]),
      ),
      '',
    );
  }
  const properties = el.cssProperties ?? [];
  if (properties.length) {
    const withDefault = properties.some((p) => p.default !== undefined);
    lines.push(
      `${h} CSS custom properties`,
      '',
      'Set them on the element or an ancestor.',
      '',
      ...table(
        withDefault ? ['property', 'what', 'default'] : ['property', 'what'],
        properties.map((p) => {
          const row = [code(p.name), sentence(p.description)];
          return withDefault ? [...row, p.default !== undefined ? code(p.default) : '—'] : row;
        }),
      ),
      '',
    );
  }
  lines.push(endMarker(tag));
  return lines.join('\n');
}

/** `current` (a README's text) with the sections of `entry` rewritten, formatted as `prettier --write` would. */
export async function readmeText(entry: ReadmeApi, manifest: Package, current: string): Promise<string> {
  let text = current;
  for (const { tag, level } of entry.elements) {
    const start = text.indexOf(startMarker(tag));
    const end = text.indexOf(endMarker(tag));
    if (start < 0 || end < start) {
      throw new Error(
        `readme-api: ${entry.readme} has lost the markers of <${tag}>: put ${startMarker(tag)} and ${endMarker(tag)} where its API goes`,
      );
    }
    text = text.slice(0, start) + elementSection(manifest, tag, level) + text.slice(end + endMarker(tag).length);
  }
  const path = `${ROOT}${entry.readme}`;
  const options = await resolveConfig(path);
  return format(text, { ...options, filepath: path });
}

/** The README of `entry` as `npm run docs:readme` writes it from the manifest on disk now. */
export async function generatedReadme(entry: ReadmeApi): Promise<string> {
  return readmeText(entry, readManifest(entry), readFileSync(`${ROOT}${entry.readme}`, 'utf8'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const entry of READMES) {
    writeFileSync(`${ROOT}${entry.readme}`, await generatedReadme(entry));
    process.stdout.write(`Wrote the API sections of ${entry.readme}\n`);
  }
}
