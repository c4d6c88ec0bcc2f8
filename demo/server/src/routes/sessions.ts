import { formSummary, loginRequestSchema, secondFactorRequestSchema, SESSION_HEADER } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { requireSession } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import { auditAs, note, operatorActor, type AppEnv } from '../http/context.js';
import { ApiError } from '../http/errors.js';
import { readBody } from '../http/validation.js';
import type { Services } from '../services.js';

export function sessionRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/sessions', async (c) => {
    auditAs(c, 'login');
    const body = await readBody(c, loginRequestSchema);
    note(c, { siteId: body.siteId });
    try {
      const outcome = await s.rt.accounts.login(body.siteId, body.username, body.password, body.totp, clientAddress(c));
      note(c, { actor: operatorActor(outcome.operator.id) });
      if (outcome.kind === 'second-factor') {
        auditAs(c, 'login.password');
        return c.json(outcome.response, 200);
      }
      return c.json(outcome.response, 201);
    } catch (error) {
      if (error instanceof ApiError && error.actorId) note(c, { actor: operatorActor(error.actorId) });
      throw error;
    }
  });

  api.post('/sessions/second-factor', async (c) => {
    auditAs(c, 'login.second-factor');
    const body = await readBody(c, secondFactorRequestSchema);
    try {
      const { response, operator } = await s.rt.accounts.secondFactor(body.challenge, body.totp, clientAddress(c));
      note(c, { actor: operatorActor(operator.id), siteId: operator.siteId });
      return c.json(response, 201);
    } catch (error) {
      if (error instanceof ApiError && error.actorId) note(c, { actor: operatorActor(error.actorId) });
      throw error;
    }
  });

  api.delete('/sessions/current', async (c) => {
    auditAs(c, 'logout');
    await requireSession(c, s, false);
    await s.rt.accounts.logout(c.req.header(SESSION_HEADER) ?? '');
    return c.body(null, 204);
  });

  api.get('/forms', async (c) => {
    const { site } = await requireSession(c, s);
    return c.json({ forms: site.forms.map(formSummary) });
  });

  api.post('/operators/:id/enable', async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'operator.enable', { targetOperatorId: id });
    const { operator } = await requireSession(c, s);
    return c.json(await s.rt.accounts.enable(operator, id));
  });
}
