/**
 * Malformed input never breaks the server: at least 2,000 random bodies across every endpoint of
 * the OpenAPI document, with real and random credentials, give zero 5xx; the server still serves
 * the round trip afterwards.
 */
import { SESSION_HEADER } from '@secure-forms/shared';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OPENAPI_OPERATIONS } from './openapi.js';
import { createCredential } from './test/integration.js';
import { harness } from './test/harness.js';
import { submitted } from './test/flows.js';

const TOTAL_RUNS = 2_100;

const body = fc.oneof(
  fc.json(),
  fc.string(),
  fc.anything().map((v) => {
    try {
      return JSON.stringify(v) ?? 'null';
    } catch {
      return '{}';
    }
  }),
  fc
    .dictionary(
      fc.constantFrom(
        'siteId',
        'username',
        'password',
        'totp',
        'challenge',
        'agentId',
        'text',
        'formId',
        'publicKey',
        'invitationId',
        'onTheRecord',
        'offTheRecord',
        'fieldIds',
        'hints',
        'visitorName',
        'externalId',
        'label',
        'events',
        'previousValidForSeconds',
        '__proto__',
        'constructor',
      ),
      fc.oneof(
        fc.string(),
        fc.integer(),
        fc.constant(null),
        fc.boolean(),
        fc.array(fc.string()),
        fc.object(),
        fc.constant('demo'),
        fc.constant({ kty: 'EC', crv: 'P-256', x: 'a'.repeat(43), y: 'b'.repeat(43) }),
      ),
    )
    .map((o) => JSON.stringify(o)),
  fc.constantFrom(
    '',
    '{',
    '[]',
    'null',
    '0',
    '"x"',
    '{"a":' + '['.repeat(5000),
    '\u0000',
    '{"siteId":"demo","username":"alice","password":"' + 'x'.repeat(2000) + '"}',
  ),
);

describe('malformed input (property)', () => {
  it(`answers ${TOTAL_RUNS}+ malformed requests across every endpoint without a 5xx, and keeps serving`, async () => {
    const h = await harness();
    const t = await submitted(h);
    const morgan = await h.session('morgan');
    const server = await createCredential(h);
    const ids: Record<string, string[]> = {
      cid: [t.visitor.id, 'not-a-uuid', '00000000-0000-4000-8000-000000000000'],
      iid: [t.invitation.id, 'x', '%00'],
      sid: [t.submissionId, 'x'],
      id: [t.alice.operatorId, server.id, 'x'],
      did: ['x', `${t.invitation.id}.${server.id}`],
      siteId: ['demo', 'no-such-site', '%00'],
    };
    const headerSets: Record<string, string>[] = [
      {},
      t.alice.headers,
      morgan.headers,
      t.visitor.headers,
      h.otk('A'.repeat(43)),
      { Authorization: 'OTK' },
      { Authorization: 'Bearer x' },
      server.headers,
      { [SESSION_HEADER]: 'short' },
      { [SESSION_HEADER]: 'x'.repeat(5000) },
      { 'Content-Type': 'text/plain' },
    ];
    const ops = OPENAPI_OPERATIONS.filter((op) => !op.path.endsWith('/events'));
    const runsPerOp = Math.ceil(TOTAL_RUNS / ops.length);
    let sent = 0;
    for (const op of ops) {
      await fc.assert(
        fc.asyncProperty(body, fc.nat(), fc.nat(), fc.boolean(), async (payload, hi, pi, withBody) => {
          const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(ids[name]![pi % ids[name]!.length]!));
          const method = op.method.toUpperCase();
          const headers = { 'Content-Type': 'application/json', ...headerSets[hi % headerSets.length] };
          const res = await h.request(`/v1${path}`, {
            method,
            headers,
            ...(method !== 'GET' && (withBody || op.request) ? { body: payload } : {}),
            address: `10.1.${hi % 250}.${pi % 250}`,
          });
          sent++;
          if (res.status >= 500) throw new Error(`${method} ${path} answered ${res.status}`);
          const text = await res.text();
          if (res.status >= 400) expect(JSON.parse(text)).toMatchObject({ error: { code: expect.any(String) } });
        }),
        { numRuns: runsPerOp },
      );
    }
    expect(sent).toBeGreaterThanOrEqual(2_000);
    expect(h.logLines.filter((l) => l.includes('unhandled error'))).toEqual([]);
    // Still serving: a whole round trip for another agent.
    const again = await submitted(h, 'bob');
    expect(again.submissionId).toMatch(/^[0-9a-f-]{36}$/);
  }, 120_000);
});
