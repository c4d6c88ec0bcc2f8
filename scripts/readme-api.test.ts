/**
 * The API sections of packages/consumer-widget/README.md and packages/agent-panel/README.md are
 * what `npm run docs:readme` writes from each package's custom-elements.json now (built from the
 * components' JSDoc by `npm run build`), and every custom element of a manifest has its section.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ClassMethod, Package } from 'custom-elements-manifest/schema';
import { describe, expect, it } from 'vitest';
import {
  type ElementDeclaration,
  type ElementField,
  elementSection,
  elementsOf,
  endMarker,
  generatedReadme,
  READMES,
  readManifest,
  readmeText,
  startMarker,
  typeText,
} from './readme-api.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

describe.each(READMES)('$readme', (entry) => {
  const written = readFileSync(`${ROOT}${entry.readme}`, 'utf8');

  it('has the API sections `npm run docs:readme` writes from custom-elements.json (run it when this fails)', async () => {
    expect(written).toBe(await generatedReadme(entry));
  });

  it('has a section for every custom element of its manifest, each marker once', () => {
    const tags = elementsOf(readManifest(entry)).map((d) => d.tagName);
    expect(tags.length).toBeGreaterThan(0);
    expect(entry.elements.map((e) => e.tag).sort()).toEqual([...tags].sort());
    for (const tag of tags) {
      expect(written.split(startMarker(tag!)), tag).toHaveLength(2);
      expect(written.split(endMarker(tag!)), tag).toHaveLength(2);
    }
  });
});

/** One element (its fields, then itself, then its manifest), as `cem analyze` writes it. */
const fields: (ElementField | ClassMethod)[] = [
  { kind: 'field', name: 'mode', type: { text: "'a' | 'b'" }, description: 'The mode', attribute: 'mode', reflects: true },
  { kind: 'field', name: 'token', type: { text: 'string' }, description: 'Property only.' },
  { kind: 'field', name: 'secret', privacy: 'private', type: { text: 'string' } },
  { kind: 'field', name: 'ready', type: { text: 'Promise<void>' }, readonly: true, description: 'Resolves.' },
  {
    kind: 'method',
    name: 'swap',
    parameters: [
      { name: 'key', type: { text: 'string' } },
      { name: 'left', optional: true, type: { text: 'number' } },
    ],
    return: { type: { text: 'void' } },
    description: 'Swaps the key',
  },
  { kind: 'method', name: 'send', return: { type: { text: 'Promise<void>' } }, description: 'Sends.' },
  { kind: 'method', name: 'hidden', privacy: 'private' },
  { kind: 'method', name: 'create', static: true },
];
const element: ElementDeclaration = {
  kind: 'class',
  name: 'XDemo',
  customElement: true,
  tagName: 'x-demo',
  members: fields,
  attributes: [
    { name: 'mode', fieldName: 'mode', type: { text: "'a' | 'b'" } },
    { name: 'only-attribute', type: { text: 'string' }, description: 'No property.' },
  ],
  events: [{ name: 'x-done', type: { text: 'XDoneEvent' }, description: 'Done. Detail: `{ id }`.' }],
  cssParts: [{ name: 'base', description: 'The card.' }],
  cssProperties: [{ name: '--x-color', description: 'Text colour.', default: '#000 / #fff' }, { name: '--x-gap' }],
};
const manifest: Package = {
  schemaVersion: '1.0.0',
  modules: [
    {
      kind: 'javascript-module',
      path: 'src/x-demo.ts',
      declarations: [element],
    },
  ],
};
const entry = { workspace: 'x', manifest: 'x.json', readme: 'README.md', elements: [{ tag: 'x-demo', level: 3 as const }] };

describe('the generated section', () => {
  it('lists public fields with their attribute, type, and Reflected, then attributes without a field', () => {
    const section = elementSection(manifest, 'x-demo', 3);
    expect(section).toContain('| `mode` | `mode` | `a` \\| `b` | The mode. Reflected. |');
    expect(section).toContain('| — | `token` | string | Property only. |');
    expect(section).toContain('| — | `ready` | `Promise<void>` (read only) | Resolves. |');
    expect(section).toContain('| `only-attribute` | — | string | No property. |');
    expect(section).not.toContain('secret');
  });

  it('lists public instance methods with their parameters and what they return', () => {
    const section = elementSection(manifest, 'x-demo', 3);
    expect(section).toContain('### Methods');
    expect(section).toContain('| `swap(key, left?)` | `void` | Swaps the key. |');
    expect(section).toContain('| `send()` | `Promise<void>` | Sends. |');
    expect(section).not.toContain('hidden(');
    expect(section).not.toContain('create(');
  });

  it('lists events, parts and CSS custom properties with their defaults, under headings of the level asked', () => {
    const section = elementSection(manifest, 'x-demo', 3);
    expect(section).toContain('### Events');
    expect(section).toContain('| `x-done` | `XDoneEvent` | Done. Detail: `{ id }`. |');
    expect(section).toContain('Style them with `x-demo::part(name)`.');
    expect(section).toContain('| `base` | The card. |');
    expect(section).toContain('| `--x-color` | Text colour. | `#000 / #fff` |');
    expect(section).toContain('| `--x-gap` |  | — |');
    expect(elementSection(manifest, 'x-demo', 2)).toContain('\n## Parts\n');
  });

  it('replaces only what is between the markers, and refuses a README without them or an unknown element', async () => {
    const readme = `# x\n\nIntro.\n\n${startMarker('x-demo')}\nold\n${endMarker('x-demo')}\n\nAfter.\n`;
    const text = await readmeText(entry, manifest, readme);
    expect(text.startsWith('# x\n\nIntro.\n\n<!-- api:x-demo:start -->\n')).toBe(true);
    expect(text).not.toContain('old');
    expect(text.endsWith('<!-- api:x-demo:end -->\n\nAfter.\n')).toBe(true);
    expect(await readmeText(entry, manifest, text)).toBe(text);
    await expect(readmeText(entry, manifest, '# x\n')).rejects.toThrow(/lost the markers of <x-demo>/);
    expect(() => elementSection(manifest, 'x-other', 3)).toThrow(/no <x-other>/);
  });

  it('writes types as the README does', () => {
    expect(typeText("'agent' | 'history'")).toBe('`agent` | `history`');
    expect(typeText('readonly string[] | undefined')).toBe('`readonly string[]` | `undefined`');
    expect(typeText('number')).toBe('number');
    expect(typeText(undefined)).toBe('');
  });
});
