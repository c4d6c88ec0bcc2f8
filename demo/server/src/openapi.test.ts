/** The OpenAPI 3.1 document, from the same zod schemas, served and written to docs. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_SIGN_IN_ERROR_CODES } from '@secure-forms/shared/errors';
import { OPENAPI_OPERATIONS, openApiDocument } from './openapi.js';
import { REPO_ROOT } from './paths.js';
import { harness } from './test/harness.js';

describe('the OpenAPI document', () => {
  it("lists no operator sign-in code among the refusals of a visitor's operations (the visitor's frame knows only the others)", () => {
    const visitorOps = OPENAPI_OPERATIONS.filter(
      (op) => op.credentials.length > 0 && op.credentials.every((c) => c === 'conversation' || c === 'otk'),
    );
    expect(visitorOps.map((op) => op.operationId)).toContain('submitAnswers');
    const signIn: ReadonlySet<string> = new Set(OPERATOR_SIGN_IN_ERROR_CODES);
    for (const op of visitorOps)
      expect(
        op.refuses.filter((code) => signIn.has(code)),
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

  it('matches docs/openapi.json (regenerate with `npm run openapi -w @secure-forms/demo`)', () => {
    const written = JSON.parse(readFileSync(join(REPO_ROOT, 'docs/openapi.json'), 'utf8')) as unknown;
    expect(written).toEqual(openApiDocument());
  });
});
