/** The OpenAPI 3.1 document, from the same zod schemas, served and written to docs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_ERROR_CODES } from '@secure-forms/shared/errors';
import { OPENAPI_OPERATIONS, openApiDocument } from './openapi.js';
import { REPO_ROOT } from './paths.js';
import { harness } from './test/harness.js';

describe('the OpenAPI document', () => {
  it("lists no operator code among the refusals of a visitor's operations (the visitor's frame knows only the others)", () => {
    const visitorOps = OPENAPI_OPERATIONS.filter(
      (op) => op.credentials.length > 0 && op.credentials.every((c) => c === 'conversation' || c === 'otk'),
    );
    expect(visitorOps.map((op) => op.operationId)).toContain('submitAnswers');
    const operator: ReadonlySet<string> = new Set(OPERATOR_ERROR_CODES);
    for (const op of visitorOps)
      expect(
        op.refuses.filter((code) => operator.has(code)),
        op.operationId,
      ).toEqual([]);
  });

  it('is served at /v1/openapi.json as OpenAPI 3.1 with every route of the API table', async () => {
    const h = await harness();
    const res = await h.request('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as {
      openapi: string;
      paths: Record<string, Record<string, unknown>>;
      components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
    };
    expect(doc.openapi).toBe('3.1.0');
    for (const [method, path] of [
      ['post', '/v1/sessions'],
      ['post', '/v1/sessions/second-factor'],
      ['get', '/v1/operators'],
      ['get', '/v1/agents'],
      ['post', '/v1/operators/{id}/enable'],
      ['post', '/v1/conversations/{cid}/transfer'],
      ['post', '/v1/conversations/{cid}/join'],
      ['post', '/v1/invitations/{iid}/cancel'],
      ['get', '/v1/conversations/{cid}/history'],
      ['post', '/v1/submissions/{sid}/history-view'],
      ['post', '/v1/submissions/{sid}/retrieve'],
      ['post', '/v1/api-credentials'],
      ['post', '/v1/api-credentials/{id}/revoke'],
      ['post', '/v1/integration/conversations'],
      ['post', '/v1/integration/conversations/{cid}/assign'],
      ['post', '/v1/integration/conversations/{cid}/transfer'],
      ['get', '/v1/integration/conversations/{cid}/invitations'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    // Generated from the zod schemas: the login body has exactly the schema's fields.
    expect(Object.keys(doc.components.schemas.LoginRequest?.properties ?? {})).toEqual(['siteId', 'username', 'password', 'totp']);
    expect(doc.components.schemas.ErrorBody).toBeDefined();
  });

  it("documents the queue's query parameters from the schema its route parses: limit and cursor, both optional", async () => {
    const doc = openApiDocument() as {
      paths: Record<
        string,
        { get?: { parameters?: Record<string, unknown>[]; summary?: string; responses?: Record<string, { description?: string }> } }
      >;
    };
    const list = doc.paths['/v1/conversations']!.get!;
    expect(list.parameters?.map(({ name, in: where, required }) => ({ name, in: where, required }))).toEqual([
      { name: 'limit', in: 'query', required: false },
      { name: 'cursor', in: 'query', required: false },
    ]);
    expect(list.parameters?.every((p) => typeof p.description === 'string' && typeof p.schema === 'object')).toBe(true);
    // What the description promises, the route does: a cursor that is not one is refused with a next step.
    const h = await harness();
    const alice = await h.session('alice');
    const bad = await h.request('/v1/conversations?cursor=not-a-cursor', { headers: alice.headers });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('VALIDATION_FAILED');
    expect(list.responses?.['400']?.description).toMatch(/VALIDATION_FAILED/);
    expect(list.summary).toMatch(/waiting first, then active, then closed; newest first/);
  });

  it('matches docs/openapi.json (regenerate with `npm run openapi -w @secure-forms/demo`)', () => {
    const written = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/openapi.json'), 'utf8')) as unknown;
    expect(written).toEqual(openApiDocument());
  });
});
