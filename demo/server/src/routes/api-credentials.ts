/**
 * API credentials for the brand's chat server, managed by an admin of the site (session): create
 * (the credential is in this one response, and only its hash is stored), list, revoke.
 */
import { apiCredentialIdSchema, createApiCredentialRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { requireSession } from '../http/auth.js';
import { auditAs, note, type AppEnv } from '../http/context.js';
import { Refusal } from '../domain/refusal.js';
import { readBody } from '../http/validation.js';
import type { Services } from '../domain/services.js';

export function apiCredentialRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/api-credentials', async (c) => {
    auditAs(c, 'api-credential.create');
    const { operator } = await requireSession(c, s);
    const body = await readBody(c, createApiCredentialRequestSchema);
    const created = await s.integration.credentials.create(operator, body.label);
    note(c, { credentialId: created.id });
    return c.json(created, 201);
  });

  api.get('/api-credentials', async (c) => {
    auditAs(c, 'api-credential.list');
    const { operator } = await requireSession(c, s);
    return c.json({ credentials: await s.integration.credentials.list(operator) });
  });

  api.post('/api-credentials/:id/revoke', async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'api-credential.revoke');
    const { operator } = await requireSession(c, s);
    if (!apiCredentialIdSchema.safeParse(id).success) throw new Refusal('NOT_FOUND', 'This site has no such API credential.');
    note(c, { credentialId: id });
    return c.json(await s.integration.credentials.revoke(operator, id));
  });
}
