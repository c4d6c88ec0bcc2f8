/**
 * The OpenAPI document against what is routed, and against an independent linter: Redocly's
 * recommended ruleset (@redocly/openapi-core, the library of @redocly/cli) reports nothing. And
 * what a third-party client needs beyond the shapes: every refusal status with its codes, the
 * envelope and the public key as named schemas, the envelope's protected header.
 */
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { API_PREFIX } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from './openapi.js';
import { PROBES } from './openapi-probes.js';
import { harness } from './test/harness.js';

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
/**
 * Routed but not operations of the API: the document itself, and single sign-on's two browser
 * navigations (redirects to and from the identity provider, with no body to describe; integration.md §8).
 */
const NOT_OPERATIONS = new Set([
  `GET ${API_PREFIX}/openapi.json`,
  `GET ${API_PREFIX}/sso/{siteId}/start`,
  `GET ${API_PREFIX}/sso/{siteId}/callback`,
]);
/** Outside `/v1` but documented: the load balancers' probes. */
const PROBE_PATHS = new Set(PROBES.map((p) => p.path));

describe('the OpenAPI document and the routes', () => {
  it('documents every /v1 route and probe, and routes every documented operation', async () => {
    const h = await harness();
    const routed = new Set(
      h.app.pci.routes
        .filter((r) => METHODS.has(r.method) && (r.path.startsWith(`${API_PREFIX}/`) || PROBE_PATHS.has(r.path)))
        .map((r) => `${r.method} ${r.path.replace(/:(\w+)/g, '{$1}')}`)
        .filter((op) => !NOT_OPERATIONS.has(op)),
    );
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`)),
    );
    expect([...routed].filter((op) => !documented.has(op)).sort(), 'routed, not documented').toEqual([]);
    expect([...documented].filter((op) => !routed.has(op)).sort(), 'documented, not routed').toEqual([]);
  });

  it("passes Redocly's recommended ruleset (but info-license) without an error or a warning", async () => {
    // info-license off: the project has not chosen a license, and the document must not claim one.
    const config = await createConfig({ extends: ['recommended'], rules: { 'info-license': 'off' } });
    const problems = await lintFromString({ source: JSON.stringify(openApiDocument()), absoluteRef: '/openapi.json', config });
    expect(problems.map((p) => `${p.severity} ${p.ruleId}: ${p.message} (${p.location[0]?.pointer ?? ''})`)).toEqual([]);
  }, 30_000);

  it('names the envelope and the public key, and says what the envelope binds', () => {
    const doc = openApiDocument() as {
      components: { schemas: Record<string, { description?: string }> };
      paths: Record<string, Record<string, { responses: Record<string, { description: string; headers?: Record<string, unknown> }> }>>;
    };
    const text = JSON.stringify(doc.components.schemas.RetrieveResponse);
    expect(text).toContain('#/components/schemas/SealedEnvelope');
    expect(JSON.stringify(doc.components.schemas.CreateInvitationRequest)).toContain('#/components/schemas/PublicJwk');
    for (const field of ['sf.inv', 'sf.site', 'sf.form', 'sf.part'])
      expect(doc.components.schemas.SealedEnvelope?.description).toContain(field);
    const submit = doc.paths['/v1/submissions']!.post!.responses;
    expect(submit['410']?.description).toMatch(/OTK_USED/);
    expect(submit['429']?.headers).toHaveProperty('Retry-After');
    expect(submit['401']?.headers).toHaveProperty('WWW-Authenticate');
  });
});
