/**
 * `POST /v1/sessions/token-exchange`: the brand's workspace signs its agent in with a workspace
 * token (accounts/token-exchange.ts). The answer is a password sign-in's: 201 and the session (plus
 * RFC 8693's `issued_token_type` and `expires_in`), or 200 and the second-factor challenge.
 *
 * Who calls it: the brand's workspace page, from one of the site's `brandOrigins` (CORS, as every
 * call of the agent panel), or the workspace backend server-side (no Origin). Every exchange is
 * audited as `login.token-exchange` with the registered key id and the jti's SHA-256, never the
 * token.
 */
import { SESSION_TOKEN_TYPE, tokenExchangeRequestSchema } from '@secure-forms/shared';
import type { Hono } from 'hono';
import type { ExchangeAudit } from '../accounts/token-exchange.js';
import { clientAddress } from '../http/client.js';
import { auditAs, note, type AppEnv } from '../http/context.js';
import { readBody } from '../http/validation.js';
import { requireSiteOrigin } from '../middleware/cors/index.js';
import type { Services } from '../domain/services.js';

export function tokenExchangeRoutes(api: Hono<AppEnv>, s: Services): void {
  api.post('/sessions/token-exchange', async (c) => {
    auditAs(c, 'login.token-exchange');
    const body = await readBody(c, tokenExchangeRequestSchema);
    note(c, { siteId: body.siteId });
    // A brand origin acts only for its own site: refuse before anything is counted or read.
    requireSiteOrigin(c, body.siteId);
    const audit: ExchangeAudit = { workspaceToken: {} };
    try {
      const outcome = await s.rt.accounts.tokenExchange.exchange(body.siteId, body.subject_token, clientAddress(c), audit);
      if (outcome.kind === 'second-factor') return c.json(outcome.response, 200);
      const expiresIn = Math.max(0, Math.floor((Date.parse(outcome.response.expiresAt) - s.rt.clock()) / 1000));
      return c.json({ ...outcome.response, issued_token_type: SESSION_TOKEN_TYPE, expires_in: expiresIn }, 201);
    } finally {
      note(c, { ...(audit.actor ? { actor: audit.actor } : {}), workspaceToken: audit.workspaceToken });
    }
  });
}
