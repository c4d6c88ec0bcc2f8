/**
 * Sign-in, the second factor, sign-out, an operator changing its own password, and an admin
 * re-enabling an operator. Sign-in refusals are
 * audited with the operator found, else the typed username keyed-hashed (never in clear: it may be
 * a mistyped password); a refusal of a locked account is audited as `login.locked`, though the
 * answer is the same as for a wrong password.
 */
import {
  changePasswordRequestSchema,
  formSummary,
  loginRequestSchema,
  secondFactorRequestSchema,
  SESSION_HEADER,
} from '@secure-forms/shared';
import type { Hono } from 'hono';
import { SignInRefused } from '../accounts/accounts.js';
import { requireSession } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import { auditAs, note, type AppContext, type AppEnv } from '../http/context.js';
import { operatorActor } from '../audit/actors.js';
import { Refusal } from '../domain/refusal.js';
import { readBody } from '../http/validation.js';
import { requireSiteOrigin } from '../middleware/cors/index.js';
import type { Services } from '../domain/services.js';

/** Put what a refused sign-in knows about its actor on the request's audit line. */
function auditRefusal(c: AppContext, error: unknown): void {
  if (error instanceof SignInRefused) {
    if (error.auditActor) note(c, { actor: error.auditActor });
    if (error.locked) auditAs(c, 'login.locked');
  } else if (error instanceof Refusal && error.actorId) {
    note(c, { actor: operatorActor(error.actorId) });
  }
}

export function sessionRoutes(api: Hono<AppEnv>, s: Services): void {
  // Sessions that end (sign-out, a lock, a password change) close their event streams at once,
  // rather than at the streams' next keep-alive check; a lock gets its own audit line.
  s.rt.accounts.onSessionsEnded(async (ended) => {
    if (ended.kind === 'logout') await s.rt.hub.endAgentSessions({ tokenHash: ended.tokenHash });
    else if (ended.kind === 'lock') await s.rt.hub.endAgentSessions({ operatorId: ended.operatorId });
    else await s.rt.hub.endAgentSessions({ operatorId: ended.operatorId, exceptTokenHash: ended.keptTokenHash });
    if (ended.kind === 'lock') {
      s.rt.audit.write({
        at: new Date(ended.at).toISOString(),
        action: 'operator.lock',
        outcome: 'success',
        actor: operatorActor(ended.operatorId),
        siteId: ended.siteId,
        targetOperatorId: ended.operatorId,
      });
    }
  });

  api.post('/sessions', async (c) => {
    auditAs(c, 'login');
    const body = await readBody(c, loginRequestSchema);
    note(c, { siteId: body.siteId });
    // A brand origin acts only for its own site: refuse before anything is counted or stored.
    requireSiteOrigin(c, body.siteId);
    try {
      const outcome = await s.rt.accounts.login(body.siteId, body.username, body.password, body.totp, clientAddress(c));
      note(c, { actor: operatorActor(outcome.operator.id) });
      if (outcome.kind === 'second-factor') {
        auditAs(c, 'login.password');
        return c.json(outcome.response, 200);
      }
      return c.json(outcome.response, 201);
    } catch (error) {
      auditRefusal(c, error);
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
      auditRefusal(c, error);
      throw error;
    }
  });

  api.delete('/sessions/current', async (c) => {
    auditAs(c, 'logout');
    await requireSession(c, s, false);
    await s.rt.accounts.logout(c.req.header(SESSION_HEADER) ?? '');
    return c.body(null, 204);
  });

  // The session first: without one, nothing about the body is said. Refusals are audited under
  // this action with the session's operator (requireSession noted it), never with a password.
  api.post('/sessions/current/password', async (c) => {
    auditAs(c, 'operator.password-change');
    const auth = await requireSession(c, s);
    const body = await readBody(c, changePasswordRequestSchema);
    await s.rt.accounts.changePassword(auth, body.currentPassword, body.newPassword, clientAddress(c));
    return c.body(null, 204);
  });

  api.get('/forms', async (c) => {
    const { site } = await requireSession(c, s);
    return c.json({ forms: site.forms.map(formSummary) });
  });

  api.get('/operators', async (c) => {
    auditAs(c, 'operator.list');
    const { operator } = await requireSession(c, s);
    return c.json(await s.rt.accounts.operators.list(operator));
  });

  api.get('/agents', async (c) => {
    auditAs(c, 'agent.list');
    const { operator } = await requireSession(c, s);
    return c.json(await s.rt.accounts.operators.agents(operator));
  });

  api.post('/operators/:id/enable', async (c) => {
    const id = c.req.param('id');
    auditAs(c, 'operator.enable', { targetOperatorId: id });
    const { operator } = await requireSession(c, s);
    return c.json(await s.rt.accounts.operators.enable(operator, id));
  });
}
