import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// A workspace that imports another workspace's package declares it, so that its install (and a
// bundler resolving from its folder) does not depend on hoisting in the repository's node_modules.
const ROOT = new URL('..', import.meta.url).pathname;
const WORKSPACES = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (['node_modules', 'dist', 'generated'].includes(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* sources(path);
    else if (/\.(ts|mjs|js)$/.test(entry.name)) yield path;
  }
}

describe('workspace dependencies', () => {
  it.each(WORKSPACES)('%s declares every @secure-forms package it imports', (workspace) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, workspace, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
      devDependencies?: Record<string, string>;
    };
    const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.devDependencies ?? {})]);
    const imported = new Set<string>();
    for (const file of sources(join(ROOT, workspace))) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(/from '(@secure-forms\/[a-z-]+)/g)) imported.add(name!);
    }
    imported.delete(manifest.name);
    expect([...imported].filter((name) => !declared.has(name))).toEqual([]);
  });
});
