/**
 * The API of the brand's own chat server (`/v1/integration/*`), authenticated by an API
 * credential of one site (http/server-auth.ts): register a conversation by the brand's id and get
 * its visitor token; assign, transfer and close it by the brand's agent ids; list its invitations.
 */
import { externalAgentRequestSchema, registerConversationRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { auditAs, note, type AppEnv } from '../http/context.js';
import { INTEGRATION_PREFIX, requireApiCredential } from '../http/server-auth.js';
import { readBody } from '../http/validation.js';
import type { Services } from '../domain/services.js';

export function integrationRoutes(api: Hono<AppEnv>, s: Services): void {
  const base = `${INTEGRATION_PREFIX}/conversations`;

  api.post(base, async (c) => {
    auditAs(c, 'integration.register');
    const credential = await requireApiCredential(c, s);
    const body = await readBody(c, registerConversationRequestSchema);
    const { created, registered } = await s.integration.register(credential, body.externalId, body.visitorName);
    note(c, { conversationId: registered.conversationId });
    return c.json(registered, created ? 201 : 200);
  });

  api.get(`${base}/:cid`, async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'integration.get', { conversationId: cid });
    const credential = await requireApiCredential(c, s);
    return c.json(await s.integration.get(credential, cid));
  });

  api.post(`${base}/:cid/assign`, async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'integration.assign', { conversationId: cid });
    const credential = await requireApiCredential(c, s);
    const body = await readBody(c, externalAgentRequestSchema);
    return c.json(await s.integration.assign(credential, cid, body.agentId));
  });

  api.post(`${base}/:cid/transfer`, async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'integration.transfer', { conversationId: cid });
    const credential = await requireApiCredential(c, s);
    const body = await readBody(c, externalAgentRequestSchema);
    return c.json(await s.integration.transfer(credential, cid, body.agentId));
  });

  api.post(`${base}/:cid/close`, async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'integration.close', { conversationId: cid });
    const credential = await requireApiCredential(c, s);
    return c.json(await s.integration.close(credential, cid));
  });

  api.get(`${base}/:cid/invitations`, async (c) => {
    const cid = c.req.param('cid');
    auditAs(c, 'integration.invitations', { conversationId: cid });
    const credential = await requireApiCredential(c, s);
    return c.json({ invitations: await s.integration.invitationsOf(credential, cid) });
  });
}
