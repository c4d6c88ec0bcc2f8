/**
 * createApp: the two Hono apps of the demo, wired to their dependencies, without opening a port.
 *
 * - `pci`: the PCI origin: the /v1 API, the form frame page and its assets.
 * - `brand`: the brand origin: the demo pages, the loader and the agent panel scripts.
 */
import type { Database } from 'better-sqlite3';
import { Hono } from 'hono';
import { API_PREFIX } from '@secure-forms/shared';
import { AccountService } from './accounts/accounts.js';
import type { AuditSink } from './audit/audit.js';
import { createBrandApp, type BrandPaths } from './brand.js';
import { Conversations } from './conversations.js';
import { defaultRandom, type RandomBytes } from './crypto/tokens.js';
import { HistoryKeys } from './crypto/history-keys.js';
import { nextKeyId, Vault, VAULT_KEY_META } from './crypto/vault.js';
import { History } from './history.js';
import { EventHub } from './events/hub.js';
import type { AppEnv } from './http/context.js';
import { ApiError, errorBody } from './http/errors.js';
import { Invitations } from './invitations.js';
import type { Logger } from './logger.js';
import { auditTrail } from './middleware/audit-trail/index.js';
import { bodyLimit, DEFAULT_BODY_LIMIT } from './middleware/body-limit/index.js';
import { cors } from './middleware/cors/index.js';
import { cspReportRoute } from './middleware/csp-report/index.js';
import { noStore } from './middleware/no-store/index.js';
import { DEFAULT_OTK_FAILURE_LIMIT, otkGuard, type OtkFailureLimit } from './middleware/otk-guard/index.js';
import { requestLog } from './middleware/request-log/index.js';
import { securityHeaders } from './middleware/security-headers/index.js';
import { OffTheRecordStore } from './off-the-record.js';
import { openApiDocument } from './openapi.js';
import { OtkService } from './otk.js';
import { conversationRoutes } from './routes/conversations.js';
import { eventRoutes } from './routes/events.js';
import { frameRoutes } from './routes/frame.js';
import { invitationRoutes } from './routes/invitations.js';
import { sessionRoutes } from './routes/sessions.js';
import { submissionRoutes } from './routes/submissions.js';
import type { Runtime } from './runtime.js';
import type { Services } from './services.js';
import type { Sites } from './sites/schema.js';
import { SqliteStore } from './storage/sqlite.js';
import type { Store } from './storage/types.js';
import { Submissions } from './submissions.js';

export interface AppPaths extends BrandPaths {
  /** packages/consumer-widget/dist/frame (index.html and assets/) */
  frameDist: string;
}

export interface AppDeps {
  db: Database;
  /** Milliseconds since the epoch; every TTL reads it. */
  clock: () => number;
  config: {
    sites: Sites;
    /** This PCI origin, e.g. http://127.0.0.1:8443 (its own frame calls the API). */
    pciOrigin: string;
    /** The site the brand app's demo pages use. */
    brandSiteId: string;
    bodyLimitBytes?: number;
    keepAliveMs?: number;
    /** Refused one-time keys allowed per client address and window before RATE_LIMITED. */
    otkFailureLimit?: OtkFailureLimit;
  };
  /** 32 bytes; the vault derives its data keys from it. */
  masterKey: Buffer;
  /** Where the site history keys live (mode 0600); without it they are kept in memory (tests). */
  dataDir?: string;
  paths: AppPaths;
  audit: AuditSink;
  logger: Logger;
  random?: RandomBytes;
}

export interface SecureFormsApp {
  pci: Hono<AppEnv>;
  brand: Hono;
  store: Store;
  accounts: AccountService;
  hub: EventHub;
  vault: Vault;
  services: Services;
  /**
   * Housekeeping: expire invitations whose time is up; drop submissions past retention, spent keys,
   * ended sessions, audit lines past the audit retention; then expired off-the-record values.
   */
  purge(): Promise<{ submissions: number; invitationsExpired: number; auditLines: number }>;
  /** Re-wrap every stored record under a new data key id; returns the new id and the count. */
  rotateKey(): Promise<{ keyId: string; rewrapped: number }>;
  /** Clear memory-only state (off-the-record values). The database is the caller's to close. */
  close(): void;
}

/** SQLITE_BUSY or SQLITE_LOCKED (and their extended codes) from better-sqlite3, after busy_timeout. */
export function isDatabaseBusy(error: Error): boolean {
  const code = (error as { code?: unknown }).code;
  return error.name === 'SqliteError' && typeof code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test(code);
}

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

export function createApp(deps: AppDeps): SecureFormsApp {
  const { clock, logger, config } = deps;
  const random = deps.random ?? defaultRandom;
  const store = new SqliteStore(deps.db);
  const offTheRecord = new Map<string, OffTheRecordStore>();
  const currentKeyId =
    (deps.db.prepare('SELECT value FROM meta WHERE key = ?').get(VAULT_KEY_META) as { value: string } | undefined)?.value ?? 'k1';
  const vault = new Vault(deps.masterKey, currentKeyId, random);
  const accounts = new AccountService(store, config.sites, clock, random, vault);
  const hub = new EventHub();
  const rt: Runtime = {
    store,
    clock,
    random,
    sites: config.sites,
    hub,
    otks: new OtkService(store, clock, random),
    vault,
    historyKeys: new HistoryKeys(deps.dataDir),
    accounts,
    offTheRecord(siteId) {
      let memory = offTheRecord.get(siteId);
      if (!memory) {
        const site = config.sites.get(siteId);
        memory = new OffTheRecordStore(clock, site?.offTheRecord.maxEntries ?? 1000);
        offTheRecord.set(siteId, memory);
      }
      return memory;
    },
    audit: deps.audit,
    logger,
    keepAliveMs: config.keepAliveMs ?? 15_000,
  };
  const conversations = new Conversations(rt);
  const invitations = new Invitations(rt, conversations);
  const services: Services = {
    rt,
    conversations,
    invitations,
    submissions: new Submissions(rt, conversations, invitations),
    history: new History(rt, conversations, invitations),
  };

  const allowedOrigins = new Set([...config.sites.allBrandOrigins(), new URL(config.pciOrigin).origin]);

  const pci = new Hono<AppEnv>();
  pci.use(requestLog(logger));
  pci.use(securityHeaders());
  pci.use(`${API_PREFIX}/*`, noStore());
  pci.use(`${API_PREFIX}/*`, auditTrail(deps.audit, clock));
  pci.use(
    `${API_PREFIX}/*`,
    cors(() => allowedOrigins),
  );
  pci.use(`${API_PREFIX}/*`, bodyLimit(config.bodyLimitBytes ?? DEFAULT_BODY_LIMIT));
  pci.use(`${API_PREFIX}/*`, otkGuard(config.otkFailureLimit ?? DEFAULT_OTK_FAILURE_LIMIT, clock));

  const api = new Hono<AppEnv>();
  let openApi: string | undefined;
  api.get('/openapi.json', (c) => {
    openApi ??= JSON.stringify(openApiDocument());
    return c.body(openApi, 200, { 'Content-Type': 'application/json; charset=utf-8' });
  });
  sessionRoutes(api, services);
  conversationRoutes(api, services);
  invitationRoutes(api, services);
  submissionRoutes(api, services);
  eventRoutes(api, services);
  pci.route(API_PREFIX, api);

  frameRoutes(pci, config.sites, deps.paths.frameDist);
  cspReportRoute(pci, logger, clock);
  pci.notFound((c) =>
    c.req.path.startsWith(`${API_PREFIX}/`) ? c.json(errorBody('NOT_FOUND', 'There is no such API route.'), 404) : c.text('Not found', 404),
  );

  const onError = (error: Error, c: Parameters<Parameters<typeof pci.onError>[0]>[1]) => {
    if (error instanceof ApiError) {
      if (error.retryAfterSeconds !== undefined) c.header('Retry-After', String(error.retryAfterSeconds));
      return c.json(error.toBody(), error.status);
    }
    if (isDatabaseBusy(error)) {
      // Another process holds the database (a key rotation, a backup, a stuck lock): say so, and
      // when to try again, rather than fail as if something broke. Nothing was stored.
      logger.warn({ errorName: error.name, code: (error as { code?: string }).code, path: c.req.path }, 'database busy');
      c.header('Retry-After', '2');
      return c.json(errorBody('INTERNAL', 'The service is busy. Nothing was changed. Try again in a moment.'), 503);
    }
    // Log the kind of failure, not its message: a library message could quote input.
    logger.error({ errorName: error.name, path: c.req.path }, 'unhandled error');
    return c.json(errorBody('INTERNAL', 'Something went wrong on our side.'), 500);
  };
  pci.onError(onError);
  api.onError(onError);

  const brand = createBrandApp({ paths: deps.paths, pciOrigin: config.pciOrigin, siteId: config.brandSiteId, logger });

  return {
    pci,
    brand,
    store,
    accounts,
    hub,
    vault,
    services,
    async purge() {
      const invitationsExpired = await invitations.sweepExpired();
      const now = clock();
      const purged = await store.purge(now);
      for (const memory of offTheRecord.values()) memory.sweep();
      const auditMonths = Math.max(12, ...config.sites.all().map((s) => s.auditRetentionMonths));
      const auditLines = deps.audit.purge?.(addMonths(now, -auditMonths)) ?? 0;
      if (purged.submissions > 0) logger.info({ purged: purged.submissions }, 'submissions past retention purged');
      if (auditLines > 0) logger.info({ purged: auditLines }, 'audit lines past retention purged');
      return { submissions: purged.submissions, invitationsExpired, auditLines };
    },
    async rotateKey() {
      const keyId = nextKeyId(vault.currentKeyId);
      const next = new Vault(deps.masterKey, keyId, random);
      const rewrapped = await store.rewrapAll(
        (row) => {
          if (!row.keyId || !row.iv || !row.ciphertext || !row.tag) return null;
          return next.rewrap({ keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext, tag: row.tag }, row.id, row.siteId);
        },
        { key: VAULT_KEY_META, value: keyId },
      );
      vault.currentKeyId = keyId;
      // TOTP seeds are wrapped by the same vault: move them to the new key id too.
      await store.rewrapTotpSecrets((row) =>
        row.totpSecret ? vault.wrapSecret(vault.unwrapSecret(row.totpSecret, row.id), row.id) : null,
      );
      logger.info({ keyId, rewrapped }, 'data key rotated');
      return { keyId, rewrapped };
    },
    close() {
      for (const memory of offTheRecord.values()) memory.clear();
    },
  };
}
