/**
 * Single sign-on routes (accounts/sso/single-sign-on.ts):
 * - `GET /v1/sso/{siteId}`: whether the site has single sign-on, and the provider's name for its button;
 * - `GET /v1/sso/{siteId}/start?returnTo=…`: a browser navigation; 302 to the provider, with a
 *   binding cookie (HttpOnly, SameSite=Lax, this path only) that the callback must bring back;
 * - `GET /v1/sso/{siteId}/callback`: the provider's redirect; 303 to `returnTo#sso=<hand-off>`
 *   whether it succeeded or was refused (the workspace learns which from `complete`), or a JSON
 *   refusal when there is no sign-in to return to (an unknown or used state);
 * - `POST /v1/sso/complete`: the workspace page's hand-off code → 201 the session, or 200 the
 *   second-factor challenge, as a password sign-in answers;
 * - `POST /v1/sso/{siteId}/logout`: ends the session; answers where to sign out at the provider.
 *
 * Audited as `login.sso-*` with the operator once known and the reason of a refusal, never the
 * query string (it holds the code and the state).
 */
import { ssoCompleteRequestSchema, SESSION_HEADER } from '@secure-forms/shared';
import type { Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { SsoRefused, PENDING_TTL_MS } from '../accounts/sso/single-sign-on.js';
import { operatorActor } from '../audit/actors.js';
import { requireSession } from '../http/auth.js';
import { clientAddress } from '../http/client.js';
import { auditAs, note, type AppContext, type AppEnv } from '../http/context.js';
import { readBody } from '../http/validation.js';
import { requireSiteOrigin } from '../middleware/cors/index.js';
import type { Services } from '../domain/services.js';

/** The binding cookie's name: the callback must come from the browser that started. */
export const BINDING_COOKIE = 'secure-forms-sso';

/** The common part of a line this module writes itself: when, where from, which site. */
function auditLine(c: AppContext, s: Services) {
  const audit = c.get('audit');
  return {
    at: new Date(s.rt.clock()).toISOString(),
    siteId: c.req.param('siteId') ?? '',
    address: clientAddress(c),
    method: audit.method,
    path: audit.path,
  };
}

function noteRefusal(c: AppContext, error: unknown): void {
  if (error instanceof SsoRefused) note(c, { sso: { reason: error.reason, ...(error.detail ? { detail: error.detail } : {}) } });
}

export function ssoRoutes(api: Hono<AppEnv>, s: Services): void {
  api.get('/sso/:siteId', (c) => {
    const site = s.sso.site(c.req.param('siteId'));
    return c.json({ providerName: site.sso.providerName });
  });

  api.get('/sso/:siteId/start', async (c) => {
    const siteId = c.req.param('siteId');
    auditAs(c, 'login.sso-start', { siteId });
    try {
      const { url, binding } = await s.sso.start(siteId, c.req.query('returnTo') ?? '');
      setCookie(c, BINDING_COOKIE, binding, {
        path: `/v1/sso/${encodeURIComponent(siteId)}/`,
        httpOnly: true,
        sameSite: 'Lax',
        secure: s.sso.secureCookie,
        maxAge: PENDING_TTL_MS / 1000,
      });
      return c.redirect(url, 302);
    } catch (error) {
      noteRefusal(c, error);
      throw error;
    }
  });

  api.get('/sso/:siteId/callback', async (c) => {
    const siteId = c.req.param('siteId');
    auditAs(c, 'login.sso-callback', { siteId });
    const query = new URL(c.req.url).searchParams;
    const binding = getCookie(c, BINDING_COOKIE);
    try {
      const outcome = await s.sso.callback(siteId, query, binding, clientAddress(c));
      deleteCookie(c, BINDING_COOKIE, { path: `/v1/sso/${encodeURIComponent(siteId)}/`, secure: s.sso.secureCookie });
      const actor = outcome.operatorId ? operatorActor(outcome.operatorId) : 'anonymous';
      if (outcome.disabled) {
        // Deprovisioned: its sessions were revoked with the flag; its event streams end now, and the disabling has its own line.
        await s.rt.hub.endAgentSessions({ operatorId: outcome.operatorId! });
        s.rt.audit.write({
          ...auditLine(c, s),
          action: 'operator.sso-disable',
          outcome: 'success',
          actor: 'system',
          targetOperatorId: outcome.operatorId!,
        });
      }
      // The answer is a redirect either way (the workspace shows a refusal): this line says which it was.
      s.rt.audit.write({
        ...auditLine(c, s),
        action: 'login.sso-callback',
        actor,
        ...(outcome.refused
          ? {
              outcome: 'refused',
              reason: outcome.refused.code,
              sso: { reason: outcome.refused.reason, ...(outcome.refused.detail ? { detail: outcome.refused.detail } : {}) },
            }
          : { outcome: 'success' }),
      });
      auditAs(c, 'request');
      return c.redirect(outcome.location, 303);
    } catch (error) {
      noteRefusal(c, error);
      throw error;
    }
  });

  api.post('/sso/complete', async (c) => {
    auditAs(c, 'login.sso-complete');
    const body = await readBody(c, ssoCompleteRequestSchema);
    note(c, { siteId: body.siteId });
    requireSiteOrigin(c, body.siteId);
    try {
      const outcome = await s.sso.complete(body.siteId, body.handoff);
      note(c, { actor: operatorActor(outcome.operator.id) });
      return c.json(outcome.response, outcome.kind === 'second-factor' ? 200 : 201);
    } catch (error) {
      noteRefusal(c, error);
      throw error;
    }
  });

  api.post('/sso/:siteId/logout', async (c) => {
    auditAs(c, 'logout.sso');
    const { site } = await requireSession(c, s);
    if (site.id !== c.req.param('siteId') || !site.sso) throw new SsoRefused('not_configured');
    await s.rt.accounts.logout(c.req.header(SESSION_HEADER) ?? '');
    const returnTo = c.req.query('returnTo');
    const back = returnTo && URL.canParse(returnTo) && site.brandOrigins.includes(new URL(returnTo).origin) ? returnTo : undefined;
    const endSessionUrl = back ? await s.sso.endSessionUrl(site, back) : undefined;
    return c.json(endSessionUrl ? { endSessionUrl } : {});
  });
}
