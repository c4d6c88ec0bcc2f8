/**
 * The PCI origin's Hono app: the middleware stack in its order, the /v1 routes, the form frame
 * page, the CSP report route, and the handlers of unknown routes and thrown errors.
 */
import { API_PREFIX } from '@secure-forms/shared';
import { Hono } from 'hono';
import type { AuditSink } from '../audit/audit.js';
import type { Services } from '../domain/services.js';
import type { Readiness } from '../health/readiness.js';
import type { Logger } from '../logger.js';
import { auditGuard } from '../middleware/audit-guard/index.js';
import { auditTrail } from '../middleware/audit-trail/index.js';
import { bodyLimit, DEFAULT_BODY_LIMIT } from '../middleware/body-limit/index.js';
import { cors } from '../middleware/cors/index.js';
import { cspReportRoute } from '../middleware/csp-report/index.js';
import { durableAnswers } from '../middleware/durable-answers/index.js';
import { jsonOnly } from '../middleware/json-only/index.js';
import { noStore } from '../middleware/no-store/index.js';
import { DEFAULT_OTK_GUARD_POLICY, otkGuard, type OtkGuardPolicy } from '../middleware/otk-guard/index.js';
import { requestLog } from '../middleware/request-log/index.js';
import { securityHeaders } from '../middleware/security-headers/index.js';
import { trustedProxies } from '../middleware/trusted-proxies/index.js';
import { turns } from '../middleware/turns/index.js';
import { openApiDocument } from '../openapi.js';
import { apiCredentialRoutes } from '../routes/api-credentials.js';
import { conversationRoutes } from '../routes/conversations.js';
import { eventRoutes } from '../routes/events.js';
import { frameRoutes } from '../routes/frame.js';
import { healthRoutes } from '../routes/health.js';
import { integrationRoutes } from '../routes/integration.js';
import { webhookRoutes } from '../routes/webhooks.js';
import { invitationRoutes, OPEN_TAKES_TEXT } from '../routes/invitations.js';
import { passkeyRoutes } from '../routes/passkeys.js';
import { sessionRoutes } from '../routes/sessions.js';
import { ssoRoutes } from '../routes/sso.js';
import { tokenExchangeRoutes } from '../routes/token-exchange.js';
import { submissionRoutes } from '../routes/submissions.js';
import type { Sites } from '../sites/schema.js';
import { compileTrust } from './client.js';
import type { AppEnv } from './context.js';
import { refuse } from './errors.js';
import { onError } from './on-error.js';

/** The PCI origin's app. */
export type PciApp = Hono<AppEnv>;

/** What the PCI app's HTTP edge is configured with (see AppDeps['config'] in app.ts). */
export interface PciEdgeConfig {
  sites: Sites;
  pciOrigin: string;
  bodyLimitBytes?: number;
  otkGuard?: Partial<OtkGuardPolicy>;
  otkGuardSleep?: (ms: number) => Promise<void>;
  trustedProxies?: readonly string[];
}

export interface PciAppDeps {
  config: PciEdgeConfig;
  services: Services;
  /** The sampled audit sink the trail and the guard write to. */
  audit: AuditSink;
  logger: Logger;
  clock: () => number;
  /** packages/consumer-widget/dist/frame */
  frameDist: string;
  readiness: Readiness;
}

export function createPciApp({ config, services, audit, logger, clock, frameDist, readiness }: PciAppDeps): PciApp {
  const { rt } = services;
  const pciOwnOrigin = new URL(config.pciOrigin).origin;
  const allowedOrigins = new Set([...config.sites.allBrandOrigins(), pciOwnOrigin]);

  const pci = new Hono<AppEnv>();
  // First: a probe answers before any middleware below runs (routes/health.ts says why).
  healthRoutes(pci, readiness);
  pci.use(trustedProxies(compileTrust(config.trustedProxies ?? [])));
  pci.use(requestLog(logger));
  pci.use(securityHeaders());
  pci.use(`${API_PREFIX}/*`, noStore());
  pci.use(`${API_PREFIX}/*`, auditTrail(audit, clock));
  // Every route's response leaves once the commits it may rest on are durable; on the API, inside
  // the audit trail, so that its audit line follows it.
  pci.use(durableAnswers(rt.store));
  pci.use(
    `${API_PREFIX}/*`,
    cors({
      origins: () => allowedOrigins,
      anySite: new Set([pciOwnOrigin]),
      siteOrigins: (siteId) => config.sites.get(siteId)?.brandOrigins,
    }),
  );
  // After CORS, so that a browser can read the 503 while the audit log cannot be written.
  pci.use(`${API_PREFIX}/*`, auditGuard(audit));
  pci.use(`${API_PREFIX}/*`, bodyLimit(config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT));
  pci.use(`${API_PREFIX}/*`, jsonOnly([OPEN_TAKES_TEXT]));
  pci.use(
    `${API_PREFIX}/*`,
    otkGuard(
      { ...DEFAULT_OTK_GUARD_POLICY, ...config.otkGuard },
      {
        clock,
        windows: rt.ephemeral.windows('otk-refusals'),
        replays: rt.ephemeral.windows('otk-replays'),
        known: (otk) => rt.otks.isKnown(otk),
        ...(config.otkGuardSleep ? { sleep: config.otkGuardSleep } : {}),
      },
    ),
  );
  // Last: API requests start their routes' work a few per turn of the event loop (middleware/turns).
  // After the OTK guard, so that a burst of presentations of one key is admitted as it arrived,
  // before the first answer makes the key known to the replay budget.
  pci.use(`${API_PREFIX}/*`, turns());

  const api = new Hono<AppEnv>();
  let openApi: string | undefined;
  api.get('/openapi.json', (c) => {
    openApi ??= JSON.stringify(openApiDocument());
    return c.body(openApi, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  sessionRoutes(api, services);
  passkeyRoutes(api, services);
  tokenExchangeRoutes(api, services);
  ssoRoutes(api, services);
  conversationRoutes(api, services);
  invitationRoutes(api, services);
  submissionRoutes(api, services);
  eventRoutes(api, services);
  apiCredentialRoutes(api, services);
  integrationRoutes(api, services);
  webhookRoutes(api, services);
  pci.route(API_PREFIX, api);

  frameRoutes(pci, config.sites, frameDist);
  cspReportRoute(pci, logger, clock);
  pci.notFound((c) =>
    c.req.path.startsWith(`${API_PREFIX}/`) ? refuse(c, 'NOT_FOUND', 'There is no such API route.') : c.text('Not found', 404),
  );

  const handler = onError(logger);
  pci.onError(handler);
  api.onError(handler);
  return pci;
}
