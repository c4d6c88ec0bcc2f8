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
import { SampledAuditSink } from './audit/sampler.js';
import { createBrandApp, type BrandPaths } from './brand.js';
import { Conversations } from './domain/conversations.js';
import { defaultRandom, type RandomBytes } from './crypto/tokens.js';
import { DataKeyRing } from './crypto/custody/data-keys.js';
import { LocalCustody } from './crypto/custody/local.js';
import type { KeyCustody } from './crypto/custody/types.js';
import { HistoryKeys } from './crypto/history-keys.js';
import { nextKeyId, Vault, VAULT_KEY_META } from './crypto/vault.js';
import { History } from './domain/history.js';
import { EventHub } from './events/hub.js';
import type { AppEnv } from './http/context.js';
import { isApiRefusal, refuse, refuseWith, statusFor } from './http/errors.js';
import { Invitations } from './domain/invitations.js';
import type { Logger } from './logger.js';
import { auditGuard } from './middleware/audit-guard/index.js';
import { auditTrail } from './middleware/audit-trail/index.js';
import { bodyLimit, DEFAULT_BODY_LIMIT } from './middleware/body-limit/index.js';
import { cors } from './middleware/cors/index.js';
import { cspReportRoute } from './middleware/csp-report/index.js';
import { noStore } from './middleware/no-store/index.js';
import { jsonOnly } from './middleware/json-only/index.js';
import { DEFAULT_OTK_GUARD_POLICY, otkGuard, type OtkGuardPolicy } from './middleware/otk-guard/index.js';
import { requestLog } from './middleware/request-log/index.js';
import { securityHeaders } from './middleware/security-headers/index.js';
import { trustedProxies } from './middleware/trusted-proxies/index.js';
import { compileTrust } from './http/client.js';
import { authenticateChallenge } from './http/auth.js';
import { OffTheRecordStore } from './domain/off-the-record.js';
import { openApiDocument } from './openapi.js';
import { OtkService } from './domain/otk.js';
import { conversationRoutes } from './routes/conversations.js';
import { eventRoutes } from './routes/events.js';
import { frameRoutes } from './routes/frame.js';
import { invitationRoutes, OPEN_TAKES_TEXT } from './routes/invitations.js';
import { sessionRoutes } from './routes/sessions.js';
import { submissionRoutes } from './routes/submissions.js';
import type { Runtime } from './domain/runtime.js';
import type { Services } from './domain/services.js';
import type { Sites } from './sites/schema.js';
import { DataKeyTable } from './storage/data-keys.js';
import { isDatabaseBusy } from './storage/busy.js';
import { SqliteStore } from './storage/sqlite.js';
import type { Store } from './storage/types.js';
import { Submissions } from './domain/submissions.js';

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
    /** How refused one-time keys are slowed down (see middleware/otk-guard); defaults otherwise. */
    otkGuard?: Partial<OtkGuardPolicy>;
    /** How the guard waits before a slowed refusal (tests record the delays); real time otherwise. */
    otkGuardSleep?: (ms: number) => Promise<void>;
    /** Proxies (IPs, CIDRs) whose X-Forwarded-For and X-Forwarded-Proto are believed; none by default. */
    trustedProxies?: readonly string[];
    /**
     * How long a database write waits, in all, while another connection holds the write lock
     * (asynchronously: the event loop keeps serving) before the API answers 503; default 5 s.
     */
    busyDeadlineMs?: number;
  };
  /** Who holds the wrapping key and the history keys; without it, a local custody on `masterKey`. */
  custody?: KeyCustody;
  /** 32 bytes, for the local custody when no `custody` is given. */
  masterKey?: Buffer;
  /** Where the local custody keeps the site history keys (mode 0600); without it, in memory (tests). */
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
   * ended sessions, closed conversations past the transcript retention, audit entries past the
   * audit retention; then expired off-the-record values.
   */
  purge(): Promise<{ submissions: number; invitationsExpired: number; transcripts: number; auditPurged: number }>;
  /** Re-wrap every stored record under a new data key id; returns the new id and the count. */
  rotateKey(): Promise<{ keyId: string; rewrapped: number }>;
  /** Clear memory-only state (off-the-record values). The database is the caller's to close. */
  close(): void;
}

export { isDatabaseBusy };

/** Conversations deleted per transaction by the transcript retention (the event loop runs between batches). */
const TRANSCRIPT_BATCH = 200;

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

export function createApp(deps: AppDeps): SecureFormsApp {
  const { clock, logger, config } = deps;
  const random = deps.random ?? defaultRandom;
  const store = new SqliteStore(deps.db, { busyDeadlineMs: config.busyDeadlineMs });
  const offTheRecord = new Map<string, OffTheRecordStore>();
  const currentKeyId =
    (deps.db.prepare('SELECT value FROM meta WHERE key = ?').get(VAULT_KEY_META) as { value: string } | undefined)?.value ?? 'k1';
  if (!deps.custody && !deps.masterKey) throw new Error('createApp needs a key custody or a master key.');
  const custody = deps.custody ?? new LocalCustody(deps.masterKey!, deps.dataDir);
  const dataKeys = new DataKeyRing(custody, new DataKeyTable(deps.db), clock);
  if (dataKeys.ensure(currentKeyId) === 'legacy') {
    logger.warn(
      { keyId: currentKeyId },
      'records use a data key derived from the master key: run rotate-key to move them to a wrapped data key',
    );
  }
  const vault = new Vault(dataKeys, currentKeyId, random);
  const accounts = new AccountService(store, config.sites, clock, random, vault);
  const hub = new EventHub();
  // Repeated anonymous refusals are counted and sampled before they reach the configured sink.
  const audit = new SampledAuditSink(deps.audit, clock);
  const rt: Runtime = {
    store,
    clock,
    random,
    sites: config.sites,
    hub,
    otks: new OtkService(store, clock, random),
    vault,
    historyKeys: new HistoryKeys(custody),
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
    audit,
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

  const pciOwnOrigin = new URL(config.pciOrigin).origin;
  const allowedOrigins = new Set([...config.sites.allBrandOrigins(), pciOwnOrigin]);

  const pci = new Hono<AppEnv>();
  pci.use(trustedProxies(compileTrust(config.trustedProxies ?? [])));
  pci.use(requestLog(logger));
  pci.use(securityHeaders());
  pci.use(`${API_PREFIX}/*`, noStore());
  pci.use(`${API_PREFIX}/*`, auditTrail(audit, clock));
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
      { clock, known: (otk) => rt.otks.isKnown(otk), ...(config.otkGuardSleep ? { sleep: config.otkGuardSleep } : {}) },
    ),
  );

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
    c.req.path.startsWith(`${API_PREFIX}/`) ? refuse(c, 'NOT_FOUND', 'There is no such API route.') : c.text('Not found', 404),
  );

  const onError = (error: Error, c: Parameters<Parameters<typeof pci.onError>[0]>[1]) => {
    if (isApiRefusal(error)) {
      if (statusFor(error.code) === 401) c.header('WWW-Authenticate', authenticateChallenge(error.code, c));
      return refuseWith(c, error);
    }
    if (isDatabaseBusy(error)) {
      // Another process holds the database (a key rotation, a backup, a stuck lock): say so, and
      // when to try again, rather than fail as if something broke. Nothing was stored.
      logger.warn({ errorName: error.name, code: (error as { code?: string }).code, path: c.req.path }, 'database busy');
      return refuse(c, 'INTERNAL', 'The service is busy. Nothing was changed. Try again in a moment.', 503, { 'Retry-After': '2' });
    }
    // Log the kind of failure, not its message: a library message could quote input.
    logger.error({ errorName: error.name, path: c.req.path }, 'unhandled error');
    return refuse(c, 'INTERNAL', 'Something went wrong on our side.', 500);
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
      let transcripts = 0;
      for (const site of config.sites.all()) {
        const closedBefore = now - site.transcriptRetentionDays * 24 * 3600_000;
        // In batches, yielding between them, so a big backlog never holds the event loop for long.
        for (let n = TRANSCRIPT_BATCH; n === TRANSCRIPT_BATCH;) {
          n = await store.purgeTranscripts(site.id, closedBefore, TRANSCRIPT_BATCH);
          transcripts += n;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      const auditMonths = Math.max(12, ...config.sites.all().map((s) => s.auditRetentionMonths));
      const auditPurged = await audit.purge(addMonths(now, -auditMonths));
      if (purged.submissions > 0) logger.info({ purged: purged.submissions }, 'submissions past retention purged');
      if (transcripts > 0) logger.info({ purged: transcripts }, 'conversations past transcript retention purged');
      if (auditPurged > 0) logger.info({ purged: auditPurged }, 'audit entries past retention purged');
      return { submissions: purged.submissions, invitationsExpired, transcripts, auditPurged };
    },
    async rotateKey() {
      const keyId = nextKeyId(vault.currentKeyId);
      // A new data key from the custody, stored wrapped before any record is wrapped under it.
      dataKeys.ensure(keyId);
      const rewrapped = await store.rewrapAll(
        (row) => {
          if (!row.keyId || !row.iv || !row.ciphertext || !row.tag) return null;
          return vault.rewrap({ keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext, tag: row.tag }, row.id, row.siteId, keyId);
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
      // Counted refusals go to the sink now; the caller closes the sink itself (it owns it).
      audit.flush();
    },
  };
}
