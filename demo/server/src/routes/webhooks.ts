/**
 * The brand chat server's webhook endpoints (`/v1/integration/webhooks*`), authenticated by an
 * API credential of one site (http/server-auth.ts), as the rest of the integration API.
 */
import { createWebhookEndpointRequestSchema, rotateWebhookSecretRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { auditAs, type AppEnv } from '../http/context.js';
import { INTEGRATION_PREFIX, requireApiCredential } from '../http/server-auth.js';
import { readBody } from '../http/validation.js';
import type { Services } from '../domain/services.js';

export function webhookRoutes(api: Hono<AppEnv>, s: Services): void {
  const base = `${INTEGRATION_PREFIX}/webhooks`;

  api.post(base, async (c) => {
    auditAs(c, 'webhook.register');
    const credential = await requireApiCredential(c, s);
    const body = await readBody(c, createWebhookEndpointRequestSchema);
    const created = await s.webhooks.register(credential, body);
    auditAs(c, 'webhook.register', { webhookEndpointId: created.id });
    return c.json(created, 201);
  });

  api.get(base, async (c) => {
    auditAs(c, 'webhook.list');
    const credential = await requireApiCredential(c, s);
    return c.json({ endpoints: await s.webhooks.list(credential) });
  });

  api.post(`${base}/:id/rotate`, async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'webhook.rotate', { webhookEndpointId: id });
    const credential = await requireApiCredential(c, s);
    const body = await readBody(c, rotateWebhookSecretRequestSchema);
    return c.json(await s.webhooks.rotate(credential, id, body.previousValidForSeconds));
  });

  api.post(`${base}/:id/retire-previous`, async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'webhook.retire-previous', { webhookEndpointId: id });
    const credential = await requireApiCredential(c, s);
    return c.json(await s.webhooks.retirePrevious(credential, id));
  });

  api.post(`${base}/:id/disable`, async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'webhook.disable', { webhookEndpointId: id });
    const credential = await requireApiCredential(c, s);
    return c.json(await s.webhooks.disable(credential, id));
  });

  api.get(`${base}/:id/deliveries`, async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'webhook.deliveries', { webhookEndpointId: id });
    const credential = await requireApiCredential(c, s);
    return c.json({ deliveries: await s.webhooks.deliveries(credential, id) });
  });

  api.post(`${base}/:id/deliveries/:did/redeliver`, async (c) => {
    const id = c.req.param('id');
    const did = c.req.param('did');
    auditAs(c, 'webhook.redeliver', { webhookEndpointId: id });
    const credential = await requireApiCredential(c, s);
    return c.json(await s.webhooks.redeliver(credential, id, did));
  });
}
