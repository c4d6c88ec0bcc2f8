/**
 * docs/http-api.md is what `npm run docs:api` renders from docs/openapi.json now (that document
 * is itself checked against the zod schemas by demo/server/src/openapi.test.ts).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OPENAPI_FILE, REFERENCE_FILE, type OpenApiDocument, renderApiReference, slug } from './api-reference.ts';

const doc = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as OpenApiDocument & {
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
};
const written = readFileSync(REFERENCE_FILE, 'utf8');

describe('docs/http-api.md', () => {
  it('is what `npm run docs:api` renders from docs/openapi.json (run it when this fails)', () => {
    expect(written).toBe(renderApiReference(doc));
  });

  it('has a section for every operation and every schema, and every link lands on a heading', () => {
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const method of Object.keys(item)) expect(written).toContain(`### \`${method.toUpperCase()} ${path}\``);
    }
    for (const name of Object.keys(doc.components.schemas)) expect(written).toContain(`### ${name}\n`);
    const anchors = new Set([...written.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
    const links = [...written.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(0);
    expect(links.filter((l) => !anchors.has(l))).toEqual([]);
  });

  it('renders the same text every time', () => {
    expect(renderApiReference(structuredClone(doc))).toBe(renderApiReference(doc));
  });
});
