/**
 * Webhooks to the brand's chat server: every invitation state change queues one delivery per
 * endpoint in its own transaction; the body holds ids, states and times only; it is signed with
 * every valid secret (two during a rotation); failures are retried with backoff, then
 * dead-lettered; concurrent senders deliver each event once; targets are https to public
 * addresses only.
 */
import {
  bearerAuthorization,
  generateInvitationKeyPair,
  INVITATION_WEBHOOK_EVENT_TYPES,
  invitationWebhookEventSchema,
  verifyWebhook,
  webhookDeliveryListResponseSchema,
  webhookEndpointListResponseSchema,
  webhookEndpointWithSecretSchema,
  webhookEventSchema,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  type WebhookEventType,
} from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { MAX_ATTEMPTS, RETRY_DELAYS_MINUTES, WebhookSender } from './jobs/webhooks/sender.js';
import { nodeTransport } from './jobs/webhooks/transport.js';
import { CARD, code, CVV, POSTCODE, retrieve, sent, submitted } from './test/flows.js';
import { harness } from './test/harness.js';
import { createCredential } from './test/integration.js';
import { webhookReceiver, type Answer } from './test/webhook-receiver.js';

type H = Awaited<ReturnType<typeof harness>>;

/** A harness whose webhooks may go to this machine (the test receiver), with no jitter. */
const local = (extra: Parameters<typeof harness>[0] = {}) =>
  harness({ ...extra, webhooks: { allowPrivateTargets: true, jitter: () => 0.5, timeoutMs: 200, ...extra.webhooks } });

/** An endpoint for `events`: by default the invitation events, what these tests are about (conversation events: webhooks-changes.test.ts). */
async function endpoint(h: H, url: string, events: readonly WebhookEventType[] = INVITATION_WEBHOOK_EVENT_TYPES) {
  const server = await createCredential(h);
  const res = await h.request('/v1/integration/webhooks', { headers: server.headers, body: { url, events } });
  expect(res.status).toBe(201);
  return { server, endpoint: webhookEndpointWithSecretSchema.parse(await res.json()) };
}

const deliveries = (h: H) =>
  h.all(
    'SELECT event_type, attempts, delivered_at, dead_at, last_error, next_attempt_at FROM webhook_deliveries ORDER BY created_at, id',
  ) as Promise<
    {
      event_type: string;
      attempts: number;
      delivered_at: number | null;
      dead_at: number | null;
      last_error: string | null;
      next_attempt_at: number | null;
    }[]
  >;

/** Run sender rounds until nothing is due now. */
async function drain(h: H) {
  while ((await h.app.sendWebhooks()) > 0);
}

describe('webhook deliveries', () => {
  it('queues one delivery for each invitation state change, and sends each signed, with its id, type and time', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    const { endpoint: hook } = await endpoint(h, receiver.url);
    const s = await submitted(h);
    expect((await retrieve(h, s.submissionId, s.retrieveOtk, s.alice.headers)).status).toBe(200);
    const cancelled = await sent(h);
    const cancel = await h.request(`/v1/invitations/${cancelled.invitation.id}/cancel`, {
      method: 'POST',
      headers: cancelled.alice.headers,
    });
    expect(cancel.status).toBe(200);
    const expiring = await sent(h);
    h.advance(25 * 3600_000);
    await h.app.purge();
    const types = (await deliveries(h)).map((d) => d.event_type);
    expect(types.sort()).toEqual(
      [
        'invitation.sent',
        'invitation.opened',
        'invitation.submitted',
        'invitation.viewed',
        'invitation.sent',
        'invitation.cancelled',
        'invitation.sent',
        'invitation.expired',
      ].sort(),
    );
    await drain(h);
    expect(receiver.received).toHaveLength(8);
    for (const { headers, body } of receiver.received) {
      const event = webhookEventSchema.parse(JSON.parse(body));
      expect(headers[WEBHOOK_ID_HEADER.toLowerCase()]).toBe(event.id);
      expect(headers[WEBHOOK_EVENT_HEADER.toLowerCase()]).toBe(event.type);
      expect(headers['content-type']).toBe('application/json');
      const signature = headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
      expect(headers[WEBHOOK_TIMESTAMP_HEADER.toLowerCase()]).toBe(/t=(\d+)/.exec(signature)![1]);
      await expect(verifyWebhook(hook.secret, signature, body, { now: h.now() })).resolves.toBeDefined();
    }
    const states = receiver.received
      .map((r) => invitationWebhookEventSchema.parse(JSON.parse(r.body)))
      .filter((e) => e.data.invitationId === expiring.invitation.id);
    // Sent in parallel: the order of arrival is not the order of the changes (each event has its `at`).
    expect(states.map((e) => e.type).sort()).toEqual(['invitation.expired', 'invitation.sent']);
    expect((await deliveries(h)).every((d) => d.delivered_at !== null && d.attempts === 1)).toBe(true);
    expect(h.audit.entries.filter((e) => e.action === 'webhook.deliver')).toHaveLength(8);
    expect(h.audit.entries.find((e) => e.action === 'webhook.deliver')).toMatchObject({
      outcome: 'success',
      webhookEndpointId: hook.id,
      siteId: 'demo',
      httpStatus: 204,
    });
  });

  it('sends only the event types an endpoint asked for', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    await endpoint(h, receiver.url, ['invitation.submitted']);
    await submitted(h);
    expect((await deliveries(h)).map((d) => d.event_type)).toEqual(['invitation.submitted']);
  });

  it('holds no form value, key or token: ids, states and times only', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    const { endpoint: hook } = await endpoint(h, receiver.url);
    const s = await submitted(h);
    await retrieve(h, s.submissionId, s.retrieveOtk, s.alice.headers);
    await drain(h);
    // The bodies as stored and as received (the signature, hex, is left out: a short value may be in any hex string).
    // Random UUIDs and times are taken out first: the CVV (737) is three digits, which a random hex
    // id holds now and then; the key lists below check that ids and times are all that is left.
    const withoutIdsAndTimes = (text: string) =>
      text
        .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '<id>')
        .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '<time>');
    const bodies = [JSON.stringify(await h.all('SELECT payload FROM webhook_deliveries')), ...receiver.received.map((r) => r.body)].map(
      withoutIdsAndTimes,
    );
    const never = [CARD, CARD.replace(/ /g, ''), CVV, POSTCODE, s.opened.viewOtk, s.submitOtk, s.retrieveOtk, s.visitor.token, hook.secret];
    for (const text of bodies) for (const value of never) expect(text).not.toContain(value);
    for (const r of receiver.received) {
      const event = JSON.parse(r.body) as { data: Record<string, unknown> };
      expect(Object.keys(event).sort()).toEqual(['createdAt', 'data', 'id', 'type']);
      expect(Object.keys(event.data).sort()).toEqual(['at', 'conversationId', 'formTitle', 'invitationId', 'state']);
    }
  });

  it("names the form by its title in every invitation event (the site's title as sent, with its translations), never a field", async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    await endpoint(h, receiver.url);
    const s = await submitted(h);
    await retrieve(h, s.submissionId, s.retrieveOtk, s.alice.headers);
    const cancelled = await sent(h);
    await h.request(`/v1/invitations/${cancelled.invitation.id}/cancel`, { method: 'POST', headers: cancelled.alice.headers });
    await drain(h);
    const title = h.app.services.rt.sites.get('demo')!.forms.find((f) => f.id === 'card-payment')!.title;
    const events = receiver.received.map((r) => invitationWebhookEventSchema.parse(JSON.parse(r.body)));
    expect(events.map((e) => e.type).sort()).toEqual(
      [
        'invitation.cancelled',
        'invitation.opened',
        'invitation.sent',
        'invitation.sent',
        'invitation.submitted',
        'invitation.viewed',
      ].sort(),
    );
    for (const event of events) expect(event.data.formTitle, event.type).toEqual(title);
    expect(title).toMatchObject({ en: 'Payment card' });
  });

  it('stores nothing for a site without endpoints, and a state change and its deliveries together or not at all', async () => {
    const h = await local();
    await sent(h);
    expect(await deliveries(h)).toEqual([]);
    const receiver = await webhookReceiver();
    await endpoint(h, receiver.url);
    const alice = await h.session('alice');
    const visitor = await h.startConversation();
    expect((await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers })).status).toBe(200);
    // The outbox cannot be written: the invitation is not stored either (one transaction).
    await h.all('ALTER TABLE webhook_deliveries RENAME TO webhook_deliveries_away');
    const keys = await generateInvitationKeyPair();
    const res = await h.request(`/v1/conversations/${visitor.id}/invitations`, {
      headers: alice.headers,
      body: { formId: 'card-payment', publicKey: keys.publicJwk },
    });
    expect(res.status).toBeGreaterThanOrEqual(500);
    expect(await h.all('SELECT id FROM invitations WHERE conversation_id = ?', visitor.id)).toEqual([]);
    await h.all('ALTER TABLE webhook_deliveries_away RENAME TO webhook_deliveries');
    expect(await deliveries(h)).toEqual([]);
  });

  it('verifies with either secret during a rotation, and no longer with the previous one once retired or past its deadline', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    const { server, endpoint: hook } = await endpoint(h, receiver.url);
    const rotated = await h.request(`/v1/integration/webhooks/${hook.id}/rotate`, {
      headers: server.headers,
      body: { previousValidForSeconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    const next = webhookEndpointWithSecretSchema.parse(await rotated.json());
    expect(next.secret).not.toBe(hook.secret);
    expect(next.previousSecretExpiresAt).toBe(new Date(h.now() + 3600_000).toISOString());
    await sent(h);
    await drain(h);
    const during = receiver.received.at(-1)!;
    const signature = during.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
    expect(signature.match(/v1=/g)).toHaveLength(2);
    await expect(verifyWebhook(hook.secret, signature, during.body, { now: h.now() })).resolves.toBeDefined();
    await expect(verifyWebhook(next.secret, signature, during.body, { now: h.now() })).resolves.toBeDefined();

    // Past the deadline: the previous secret no longer signs.
    h.advance(3601_000);
    await sent(h);
    await drain(h);
    const after = receiver.received.at(-1)!;
    const afterSignature = after.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
    await expect(verifyWebhook(next.secret, afterSignature, after.body, { now: h.now() })).resolves.toBeDefined();
    await expect(verifyWebhook(hook.secret, afterSignature, after.body, { now: h.now() })).rejects.toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });

    // An explicit retirement ends it at once.
    const third = webhookEndpointWithSecretSchema.parse(
      await (await h.request(`/v1/integration/webhooks/${hook.id}/rotate`, { headers: server.headers, body: {} })).json(),
    );
    const retired = await h.request(`/v1/integration/webhooks/${hook.id}/retire-previous`, { method: 'POST', headers: server.headers });
    expect(retired.status).toBe(200);
    await sent(h);
    await drain(h);
    const last = receiver.received.at(-1)!;
    const lastSignature = last.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string;
    expect(lastSignature.match(/v1=/g)).toHaveLength(1);
    await expect(verifyWebhook(third.secret, lastSignature, last.body, { now: h.now() })).resolves.toBeDefined();
    await expect(verifyWebhook(next.secret, lastSignature, last.body, { now: h.now() })).rejects.toMatchObject({
      code: 'WEBHOOK_SIGNATURE_INVALID',
    });
  });

  for (const [label, answer] of [
    ['a redirect (never followed)', { status: 302, headers: { Location: 'http://127.0.0.1:1/' } }],
    ['a server error', { status: 503 }],
    ['no answer in time', 'hang'],
    ['an answer past 4 KiB', { status: 200, body: 'x'.repeat(5000) }],
  ] as [string, Answer][]) {
    it(`retries after ${label} with growing delays, then dead-letters it; a redelivery tries again`, async () => {
      const h = await local();
      let failing = true;
      const receiver = await webhookReceiver(() => (failing ? answer : { status: 200 }));
      const { server, endpoint: hook } = await endpoint(h, receiver.url, ['invitation.sent']);
      await sent(h);
      const gaps: number[] = [];
      for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        expect(await h.app.sendWebhooks()).toBe(1);
        const [row] = await deliveries(h);
        expect(row!.attempts).toBe(attempt);
        if (attempt < MAX_ATTEMPTS) {
          gaps.push(row!.next_attempt_at! - h.now());
          // Not before its time.
          h.advance(gaps.at(-1)! - 1000);
          expect(await h.app.sendWebhooks()).toBe(0);
          h.advance(1000);
        }
      }
      expect(gaps).toEqual(RETRY_DELAYS_MINUTES.map((m) => m * 60_000));
      const [dead] = await deliveries(h);
      expect(dead).toMatchObject({ delivered_at: null, next_attempt_at: null });
      expect(dead!.dead_at).not.toBeNull();
      expect(receiver.received).toHaveLength(MAX_ATTEMPTS);
      expect(new Set(receiver.received.map((r) => r.headers[WEBHOOK_ID_HEADER.toLowerCase()])).size).toBe(1);
      expect(h.audit.entries.filter((e) => e.action === 'webhook.retry')).toHaveLength(MAX_ATTEMPTS - 1);
      expect(h.audit.entries.find((e) => e.action === 'webhook.dead-letter')).toMatchObject({
        outcome: 'refused',
        webhookEndpointId: hook.id,
      });

      const list = webhookDeliveryListResponseSchema.parse(
        await (await h.request(`/v1/integration/webhooks/${hook.id}/deliveries`, { headers: server.headers })).json(),
      );
      expect(list.deliveries).toHaveLength(1);
      expect(list.deliveries[0]!.deadLetteredAt).not.toBeNull();
      expect(list.deliveries[0]!.lastError).toMatch(/^[A-Z_]+$/);
      failing = false;
      const again = await h.request(`/v1/integration/webhooks/${hook.id}/deliveries/${list.deliveries[0]!.id}/redeliver`, {
        method: 'POST',
        headers: server.headers,
      });
      expect(again.status).toBe(200);
      await drain(h);
      const [delivered] = await deliveries(h);
      expect(delivered).toMatchObject({ attempts: 1, dead_at: null });
      expect(delivered!.delivered_at).not.toBeNull();
      expect(receiver.received.at(-1)!.headers[WEBHOOK_ID_HEADER.toLowerCase()]).toBe(
        receiver.received[0]!.headers[WEBHOOK_ID_HEADER.toLowerCase()],
      );
    });
  }

  it('is delivered once per event however many senders run at once', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    await endpoint(h, receiver.url);
    for (let i = 0; i < 5; i++) await sent(h);
    const senders = Array.from(
      { length: 50 },
      () =>
        new WebhookSender({
          store: h.app.store,
          vault: h.app.vault,
          clock: h.now,
          transport: nodeTransport({ allowPrivate: true, resolve: () => Promise.resolve(['127.0.0.1']) }),
          audit: { write: () => undefined, purge: () => Promise.resolve(0) },
          logger: h.app.services.rt.logger,
        }),
    );
    await Promise.all(senders.map((s) => s.runOnce()));
    const ids = receiver.received.map((r) => r.headers[WEBHOOK_ID_HEADER.toLowerCase()]);
    expect(ids).toHaveLength(5);
    expect(new Set(ids).size).toBe(5);
    expect((await deliveries(h)).every((d) => d.delivered_at !== null && d.attempts === 1)).toBe(true);
  });

  it('stops queueing for a disabled endpoint, and dead-letters what was queued', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    const { server, endpoint: hook } = await endpoint(h, receiver.url);
    await sent(h);
    const disabled = await h.request(`/v1/integration/webhooks/${hook.id}/disable`, { method: 'POST', headers: server.headers });
    expect(disabled.status).toBe(200);
    await sent(h);
    await drain(h);
    expect(receiver.received).toHaveLength(0);
    expect(await deliveries(h)).toMatchObject([{ event_type: 'invitation.sent', last_error: 'ENDPOINT_DISABLED' }]);
  });
});

describe('webhook endpoints', () => {
  it('are https only, to public addresses; plain http and private addresses are refused with the reason', async () => {
    const resolve = (host: string) =>
      Promise.resolve(
        host === 'internal.example.com' ? ['10.1.2.3'] : host === 'mixed.example.com' ? ['93.184.216.34', '127.0.0.1'] : ['93.184.216.34'],
      );
    const h = await harness({ webhooks: { resolve } });
    const server = await createCredential(h);
    for (const [url, reason] of [
      ['http://hooks.example.com/in', 'not_https'],
      ['ftp://hooks.example.com/in', 'invalid_url'],
      ['not a url', 'invalid_url'],
      ['https://user:pass@hooks.example.com/in', 'credentials_in_url'],
      ['https://127.0.0.1/in', 'private_address'],
      ['https://10.0.0.8/in', 'private_address'],
      ['https://169.254.169.254/latest/meta-data', 'private_address'],
      ['https://[::1]/in', 'private_address'],
      ['https://[::ffff:192.168.0.1]/in', 'private_address'],
      ['https://internal.example.com/in', 'private_address'],
      ['https://mixed.example.com/in', 'private_address'],
      ['http://127.0.0.1:9/in', 'not_https'],
    ]) {
      const res = await h.request('/v1/integration/webhooks', { headers: server.headers, body: { url } });
      expect(res.status, url).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string; fields: unknown } };
      expect(body.error, url).toMatchObject({ code: 'VALIDATION_FAILED', fields: [{ path: 'url', reason }] });
    }
    const ok = await h.request('/v1/integration/webhooks', { headers: server.headers, body: { url: 'https://hooks.example.com/in' } });
    expect(ok.status).toBe(201);
  });

  it('are refused at sending time when the name has come to resolve to a private address', async () => {
    let address = '93.184.216.34';
    const h = await harness({ webhooks: { resolve: () => Promise.resolve([address]) } });
    const server = await createCredential(h);
    const res = await h.request('/v1/integration/webhooks', {
      headers: server.headers,
      body: { url: 'https://hooks.example.com/in', events: ['invitation.sent'] },
    });
    expect(res.status).toBe(201);
    await sent(h);
    address = '10.0.0.1';
    expect(await h.app.sendWebhooks()).toBe(1);
    expect(await deliveries(h)).toMatchObject([{ attempts: 1, last_error: 'TARGET_PRIVATE_ADDRESS' }]);
  });

  it('show the secret once and store it only wrapped; list, and belong to one site', async () => {
    const h = await local();
    const { server, endpoint: hook } = await endpoint(
      h,
      'https://hooks.example.com/in'.replace('https://hooks.example.com', 'http://127.0.0.1:9'),
    );
    for (const table of await h.tables()) {
      expect(JSON.stringify(await h.all(`SELECT * FROM ${table}`)), table).not.toContain(hook.secret.slice(6));
    }
    const list = webhookEndpointListResponseSchema.parse(
      await (await h.request('/v1/integration/webhooks', { headers: server.headers })).json(),
    );
    expect(list.endpoints).toEqual([
      { id: hook.id, url: hook.url, events: hook.events, createdAt: hook.createdAt, disabledAt: null, previousSecretExpiresAt: null },
    ]);
    expect(JSON.stringify(list)).not.toContain(hook.secret);
    expect(h.logLines.join('\n')).not.toContain(hook.secret);
    expect(JSON.stringify(h.audit.entries)).not.toContain(hook.secret);
    expect(h.audit.entries.find((e) => e.action === 'webhook.register')).toMatchObject({
      outcome: 'success',
      credentialId: server.id,
      webhookEndpointId: hook.id,
    });
  });

  it('of another site do not exist for a credential', async () => {
    const h = await local({ otherSites: [] });
    const { endpoint: hook } = await endpoint(h, 'http://127.0.0.1:9/in');
    // A second credential of the same site sees it; an unknown endpoint id is NOT_FOUND.
    const other = await createCredential(h, 'second');
    expect((await h.request(`/v1/integration/webhooks/${hook.id}/deliveries`, { headers: other.headers })).status).toBe(200);
    const missing = await h.request('/v1/integration/webhooks/AAAAAAAAAAAAAAAA/rotate', { headers: other.headers, body: {} });
    expect(await code(missing)).toBe('NOT_FOUND');
    const bad = await h.request(`/v1/integration/webhooks/${hook.id}/rotate`, {
      headers: other.headers,
      body: { previousValidForSeconds: -1 },
    });
    expect(await code(bad)).toBe('VALIDATION_FAILED');
    const noAuth = await h.request('/v1/integration/webhooks', { headers: { Authorization: bearerAuthorization('sfk.nope') } });
    expect(await code(noAuth)).toBe('UNAUTHENTICATED');
  });

  it('keeps delivered and dead-lettered deliveries 30 days, and what is still to be delivered until it is', async () => {
    const h = await local();
    let up = true;
    const receiver = await webhookReceiver(() => (up ? { status: 204 } : { status: 500 }));
    await endpoint(h, receiver.url, ['invitation.sent']);
    await sent(h);
    await drain(h);
    up = false;
    await sent(h);
    await drain(h);
    h.advance(30 * 24 * 3600_000 + 1000);
    await h.app.purge();
    // The delivered one is gone; the one still being retried stays.
    expect(await deliveries(h)).toMatchObject([{ delivered_at: null, dead_at: null, attempts: 1 }]);
  });

  it('connects to a host name through the checked resolution', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    await endpoint(h, receiver.url.replace('127.0.0.1', 'localhost'), ['invitation.sent']);
    await sent(h);
    await drain(h);
    expect(receiver.received).toHaveLength(1);
    expect(await deliveries(h)).toMatchObject([{ attempts: 1, last_error: null }]);
  });

  it('refuses the connection when the name resolves to a private address by then (DNS rebinding)', async () => {
    // The check before the attempt hears a public address; the connection's own resolution gets loopback.
    const h = await harness({ webhooks: { resolve: () => Promise.resolve(['93.184.216.34']) } });
    const server = await createCredential(h);
    const res = await h.request('/v1/integration/webhooks', {
      headers: server.headers,
      body: { url: 'https://localhost:9/in', events: ['invitation.sent'] },
    });
    expect(res.status).toBe(201);
    await sent(h);
    expect(await h.app.sendWebhooks()).toBe(1);
    expect(await deliveries(h)).toMatchObject([{ attempts: 1, last_error: 'TARGET_PRIVATE_ADDRESS' }]);
  });

  it('leaves a delivery it could not attempt (a failure of ours) to a later round, and goes on with the others', async () => {
    const h = await local();
    const receiver = await webhookReceiver();
    const { endpoint: broken } = await endpoint(h, receiver.url, ['invitation.sent']);
    const { endpoint: fine } = await endpoint(h, receiver.url, ['invitation.sent']);
    // The broken endpoint's secret no longer unwraps.
    await h.all(`UPDATE webhook_endpoints SET secret = '{"k":"k1","i":"","c":"","t":""}' WHERE id = ?`, broken.id);
    await sent(h);
    expect(await h.app.sendWebhooks()).toBe(2);
    expect(receiver.received).toHaveLength(1);
    expect(h.logLines.some((l) => l.includes('webhook attempt failed') && l.includes(broken.id))).toBe(true);
    const rows = (await h.all('SELECT endpoint_id, attempts, delivered_at FROM webhook_deliveries')) as {
      endpoint_id: string;
      attempts: number;
    }[];
    expect(rows.find((r) => r.endpoint_id === broken.id)).toMatchObject({ attempts: 0 });
    expect(rows.find((r) => r.endpoint_id === fine.id)).toMatchObject({ attempts: 1 });
    // Leased meanwhile; once the lease has run out, claimed again.
    expect(await h.app.sendWebhooks()).toBe(0);
    h.advance(61_000);
    expect(await h.app.sendWebhooks()).toBe(1);
  });
});
