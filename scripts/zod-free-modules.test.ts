/**
 * Shared's entries "without zod" (see packages/shared/README.md): neither they nor any module they import
 * imports zod, since a module that imports zod leaves zod's set-up in a bundle even when none of its
 * schemas is used. Type-only imports are left out (they are gone from the built code).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SOURCE = fileURLToPath(new URL('../packages/shared/src/', import.meta.url));

/** The entries the visitor's bundles take values from. */
const ZOD_FREE = [
  'error-codes.ts',
  'read-json.ts',
  'form-rules.ts',
  'api/conventions.ts',
  'format-patterns.ts',
  'field-types.ts',
  'frame-url.ts',
  'vocabulary.ts',
];

/** The modules a source file imports values from (its `import … from` and `export … from` that are not `type`-only). */
function valueImports(file: string): string[] {
  const source = readFileSync(join(SOURCE, file), 'utf8');
  const specifiers: string[] = [];
  for (const match of source.matchAll(/^(?:import|export)\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
    if (!match[1]) specifiers.push(match[2] ?? '');
  }
  return specifiers;
}

/** Every module `file` reaches through value imports, itself included; packages by name. */
function reach(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const specifier of valueImports(file)) {
    if (specifier.startsWith('.')) reach(join(dirname(file), specifier).replace(/\.js$/, '.ts'), seen);
    else seen.add(specifier);
  }
  return seen;
}

describe('the entries without zod', () => {
  it.each(ZOD_FREE)('%s reaches no module that imports zod', (file) => {
    expect([...reach(file)].filter((module) => module === 'zod' || module.startsWith('zod/'))).toEqual([]);
  });

  it('tells a zod import from a type-only one (the check itself)', () => {
    expect(reach('errors.ts').has('zod/mini')).toBe(true);
    expect(reach('form-rules.ts').has('form-definition.ts')).toBe(false);
  });
});
