/**
 * The brand chat server's API credentials and webhook signatures, against the running server:
 * a credential sent from a browser (an Origin, a cookie), a revoked one, a wrong secret, and one
 * of another site are each refused with their stable code and audited by credential id, never by
 * the secret; and the exported webhook verifier refuses an altered, replayed (stale), future or
 * wrongly signed delivery. Webhooks from the running server: an endpoint that is not https is
 * refused; a form filled with the canaries reaches a receiver as signed events whose bodies hold
 * none of them; a delivery replayed outside the window is refused by the verifier; after a rotation
 * that retires the previous secret, a conversation event verifies with the new secret only.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bearerAuthorization, signWebhook, verifyWebhook, WEBHOOK_SIGNATURE_HEADER, WebhookVerificationError } from '@secure-forms/shared';
import { FROM_BRAND, freshRetrieveOtk, login, readyToSubmit, retrieve, submit, type Session } from './api.js';
import { CANARY, describeHits, findCanaries } from './canaries.js';
import { FROM, OTHER_SITE, PCI } from './env.js';
import { call, codeOf, type HttpAnswer } from './http.js';
import { auditLines } from './audit-files.js';
import { test } from './table.js';

const from = FROM.integration;

async function createCredential(
  admin: Session,
  label: string,
): Promise<{ id: string; credential: string; headers: Record<string, string> }> {
  const answer = await call(`${PCI}/v1/api-credentials`, { body: { label }, headers: admin.headers, from });
  if (answer.status !== 201) throw new Error(`create credential: ${answer.status} ${answer.text}`);
  const json = answer.json as { id: string; credential: string };
  return { ...json, headers: { Authorization: bearerAuthorization(json.credential) } };
}

function register(headers: Record<string, string>, externalId: string): Promise<HttpAnswer> {
  return call(`${PCI}/v1/integration/conversations`, { body: { externalId, visitorName: 'Server Visitor' }, headers, from });
}

test('API credentials and webhook signatures: browser use, revocation, other sites and forged deliveries are refused', async ({
  table,
}) => {
  const ada = await login('ada', { from, totp: true });
  const oscar = await login('oscar', { from, site: OTHER_SITE, totp: true });
  const server = await createCredential(ada, 'security suite');
  const spare = await createCredential(ada, 'security suite, rotation');
  const other = await createCredential(oscar, 'other site');
  const secrets = [server, spare, other].map((c) => c.credential.split('.')[2]!);

  const row = (name: string, tried: string, answer: HttpAnswer, status: number, code: string) =>
    table.add(
      'Integration',
      name,
      tried,
      `${answer.status} ${codeOf(answer) || '-'}`,
      answer.status === status && codeOf(answer) === code && !secrets.some((s) => answer.text.includes(s)),
    );

  // From a browser: the same credential with an Origin (the site's own brand origin) or a cookie.
  row(
    'from a browser origin',
    'register with Origin: the brand origin',
    await register({ ...server.headers, ...FROM_BRAND }, 'sec-browser'),
    403,
    'ORIGIN_NOT_ALLOWED',
  );
  row(
    'with a cookie',
    'register with a Cookie header',
    await register({ ...server.headers, Cookie: 'session=1' }, 'sec-browser'),
    403,
    'ORIGIN_NOT_ALLOWED',
  );
  // Nothing was registered by those: from the server, the id is new (201).
  const mine = await register(server.headers, 'sec-browser');
  row('server registers', 'the same id from the server', mine, 201, '');
  const conversationId = (mine.json as { conversationId: string }).conversationId;

  // A wrong secret with a real credential id, and no credential at all.
  const wrong = { Authorization: bearerAuthorization(`sfk.${server.id}.${'A'.repeat(43)}`) };
  row('wrong secret', 'a real credential id with another secret', await register(wrong, 'sec-wrong'), 401, 'UNAUTHENTICATED');
  row('no credential', 'no Authorization header', await register({}, 'sec-none'), 401, 'UNAUTHENTICATED');

  // Another site's credential: the demo site's conversation does not exist for it.
  for (const [path, body] of [
    ['', undefined],
    ['/invitations', undefined],
    ['/assign', { agentId: 'brand-agent-alice' }],
    ['/transfer', { agentId: 'brand-agent-alice' }],
    ['/close', {}],
  ] as const) {
    const answer = await call(`${PCI}/v1/integration/conversations/${conversationId}${path}`, {
      headers: other.headers,
      from,
      ...(body ? { body } : {}),
    });
    row(
      `another site's credential${path || ' (read)'}`,
      `the other site's credential on a demo conversation${path}`,
      answer,
      404,
      'NOT_FOUND',
    );
  }

  // Rotation: revoke one, the other still works.
  const revoked = await call(`${PCI}/v1/api-credentials/${server.id}/revoke`, { method: 'POST', headers: ada.headers, from });
  table.add('Integration', 'revoke', 'an admin revokes the first credential', String(revoked.status), revoked.status === 200);
  row('revoked credential', 'the revoked credential again', await register(server.headers, 'sec-after'), 401, 'UNAUTHENTICATED');
  const kept = await call(`${PCI}/v1/integration/conversations/${conversationId}`, { headers: spare.headers, from });
  row('the other credential', 'the second credential after the revocation', kept, 200, '');
  // An agent is not an admin: no credential for it.
  const alice = await login('alice', { from });
  row(
    'agent creates a credential',
    'an agent asks for a credential',
    await call(`${PCI}/v1/api-credentials`, { body: { label: 'x' }, headers: alice.headers, from }),
    403,
    'FORBIDDEN',
  );

  // The audit: refusals by code, uses by credential id; no secret anywhere in the files.
  const lines = auditLines();
  const revokedUse = lines.some((l) => l.includes('"integration.register"') && l.includes('"UNAUTHENTICATED"'));
  const byId = lines.some((l) => l.includes(`"credential:${spare.id}"`));
  const leaked = secrets.filter((s) => lines.some((l) => l.includes(s)));
  table.add(
    'Integration',
    'audit',
    'the audit files after the run',
    `${revokedUse ? 'refusals' : 'no refusals'}, ${byId ? 'uses by id' : 'no uses by id'}, ${leaked.length} secrets`,
    revokedUse && byId && leaked.length === 0,
  );

  // Webhooks: signed as the backend signs them; the verifier a brand uses refuses each forgery.
  const secret = 'whsec_security_suite_0123456789';
  const body = JSON.stringify({ id: 'evt_sec', type: 'invitation.submitted', data: { conversationId } });
  const now = Date.now();
  const header = await signWebhook(secret, body, Math.floor(now / 1000));
  const verdict = async (name: string, tried: string, check: Promise<unknown>, expected: string) => {
    const outcome = await check.then(
      () => 'accepted',
      (e: unknown) => (e instanceof WebhookVerificationError ? e.code : String(e)),
    );
    table.add('Integration', name, tried, outcome, outcome === expected);
  };
  await verdict('webhook as signed', 'the delivery as signed', verifyWebhook(secret, header, body, { now }), 'accepted');
  await verdict(
    'altered webhook',
    'the body with one field changed',
    verifyWebhook(secret, header, body.replace('submitted', 'cancelled'), { now }),
    'WEBHOOK_SIGNATURE_INVALID',
  );
  await verdict(
    'wrong webhook secret',
    'verified with another secret',
    verifyWebhook('whsec_other', header, body, { now }),
    'WEBHOOK_SIGNATURE_INVALID',
  );
  await verdict(
    'replayed webhook',
    'the same delivery an hour later',
    verifyWebhook(secret, header, body, { now: now + 3600_000 }),
    'WEBHOOK_TIMESTAMP_STALE',
  );
  await verdict(
    'stale webhook timestamp',
    'a delivery signed ten minutes ago',
    verifyWebhook(secret, await signWebhook(secret, body, Math.floor(now / 1000) - 600), body, { now }),
    'WEBHOOK_TIMESTAMP_STALE',
  );
  await verdict(
    'future webhook timestamp',
    'a delivery signed ten minutes ahead',
    verifyWebhook(secret, await signWebhook(secret, body, Math.floor(now / 1000) + 600), body, { now }),
    'WEBHOOK_TIMESTAMP_STALE',
  );

  table.expectAllHeld();
});

/** A brand's webhook endpoint on loopback: records each request's signature header and raw body. */
async function receiver() {
  const received: { signature: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        signature: String(req.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] ?? ''),
        body: Buffer.concat(chunks).toString(),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received, close: () => server.close() };
}

test('webhooks: a non-https endpoint is refused; deliveries hold no canary; a replayed delivery is refused', async ({ table }) => {
  const ada = await login('ada', { from, totp: true });
  const server = await createCredential(ada, 'security suite, webhooks');
  const plain = await call(`${PCI}/v1/integration/webhooks`, {
    body: { url: 'http://hooks.example.com/in' },
    headers: server.headers,
    from,
  });
  const reason = (plain.json as { error?: { fields?: { reason: string }[] } }).error?.fields?.[0]?.reason;
  table.add(
    'Integration',
    'non-https webhook endpoint',
    'register http://hooks.example.com/in',
    `${plain.status} ${codeOf(plain)} ${reason ?? '-'}`,
    plain.status === 400 && codeOf(plain) === 'VALIDATION_FAILED' && reason === 'not_https',
  );

  const hooks = await receiver();
  try {
    const created = await call(`${PCI}/v1/integration/webhooks`, { body: { url: hooks.url }, headers: server.headers, from });
    if (created.status !== 201) throw new Error(`register endpoint: ${created.status} ${created.text}`);
    const { secret } = created.json as { secret: string };
    // A card form filled with the canaries, submitted, and read by its sender: sent, opened, submitted, viewed.
    const alice = await login('alice', { from });
    const ready = await readyToSubmit(
      alice,
      'Webhook Canary',
      { cardNumber: CANARY.card.typed, billingPostcode: CANARY.secretAnswer.slice(0, 20), cvv: CANARY.cid },
      from,
    );
    const submitted = await submit(ready.submitOtk, ready.body, from);
    const submissionId = (submitted.json as { submissionId: string }).submissionId;
    await retrieve(alice, submissionId, await freshRetrieveOtk(alice, submissionId, from), from);
    const deadline = Date.now() + 20_000;
    while (hooks.received.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    const bodies = hooks.received.map((r) => r.body).join('\n');
    const hits = findCanaries(bodies);
    const types = hooks.received.map((r) => (JSON.parse(r.body) as { type: string }).type).sort();
    table.add(
      'Integration',
      'webhook bodies',
      'a form filled with the canaries, submitted and read: the bodies received',
      `${types.join(', ') || 'none received'}; ${hits.length === 0 ? 'no canary' : describeHits(hits)}`,
      hits.length === 0 &&
        ['invitation.opened', 'invitation.sent', 'invitation.submitted', 'invitation.viewed'].every((t) => types.includes(t)),
    );

    const first = hooks.received[0];
    if (first) {
      const verdict = (at: number) =>
        verifyWebhook(secret, first.signature, first.body, { now: at }).then(
          () => 'accepted',
          (e: unknown) => (e instanceof WebhookVerificationError ? e.code : String(e)),
        );
      const now = await verdict(Date.now());
      table.add('Integration', 'delivered webhook', 'a delivery as received, verified with the endpoint secret', now, now === 'accepted');
      const later = await verdict(Date.now() + 3600_000);
      table.add('Integration', 'replayed delivery', 'the same delivery replayed an hour later', later, later === 'WEBHOOK_TIMESTAMP_STALE');
    }

    // Rotation with the previous secret retired at once: the next delivery (a conversation the
    // server assigns) verifies with the new secret, and no longer with the old one.
    const endpointId = (created.json as { id: string }).id;
    const rotated = await call(`${PCI}/v1/integration/webhooks/${endpointId}/rotate`, {
      body: { previousValidForSeconds: 0 },
      headers: server.headers,
      from,
    });
    const newSecret = (rotated.json as { secret?: string } | null)?.secret ?? '';
    const conversationId = ((await register(server.headers, 'sec-webhook-rotation')).json as { conversationId: string }).conversationId;
    await call(`${PCI}/v1/integration/conversations/${conversationId}/assign`, {
      body: { agentId: 'brand-agent-alice' },
      headers: server.headers,
      from,
    });
    const isAssigned = (r: { body: string }) => r.body.includes('"conversation.assigned"') && r.body.includes(conversationId);
    const until = Date.now() + 20_000;
    while (!hooks.received.some(isAssigned) && Date.now() < until) await new Promise((r) => setTimeout(r, 250));
    const assigned = hooks.received.find(isAssigned);
    const check = (key: string) =>
      assigned
        ? verifyWebhook(key, assigned.signature, assigned.body).then(
            () => 'accepted',
            (e: unknown) => (e instanceof WebhookVerificationError ? e.code : String(e)),
          )
        : Promise.resolve('not received');
    const withNew = await check(newSecret);
    const withOld = await check(secret);
    table.add(
      'Integration',
      'conversation webhook',
      'the server assigns a conversation after a rotation: the delivery, verified with the new secret',
      withNew,
      withNew === 'accepted',
    );
    table.add(
      'Integration',
      'retired webhook secret',
      'the same delivery verified with the secret retired by the rotation',
      withOld,
      withOld === 'WEBHOOK_SIGNATURE_INVALID',
    );
  } finally {
    hooks.close();
  }
  table.expectAllHeld();
});
