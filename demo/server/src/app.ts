/**
 * createApp: the two Hono apps of the demo, wired to their dependencies, without opening a port.
 * Wiring only: the HTTP stack is http/pci-app.ts, the domain is domain/, maintenance is jobs/.
 *
 * - `pci`: the PCI origin: the /v1 API, the form frame page and its assets.
 * - `brand`: the brand origin: the demo pages, the loader and the agent panel scripts.
 */
import type { Database } from 'better-sqlite3';
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
import { Vault, VAULT_KEY_META } from './crypto/vault.js';
import { History } from './domain/history.js';
import { OpenStreams } from './health/open-streams.js';
import { Readiness, type ReadinessCheck } from './health/readiness.js';
import { EventHub } from './events/hub.js';
import { createPciApp, type PciApp, type PciEdgeConfig } from './http/pci-app.js';
import { Invitations } from './domain/invitations.js';
import { purge, type PurgeResult } from './jobs/purge.js';
import { rotateKey } from './jobs/rotate-key.js';
import type { Logger } from './logger.js';
import { OffTheRecordStore } from './domain/off-the-record.js';
import { OtkService } from './domain/otk.js';
import type { Runtime } from './domain/runtime.js';
import type { Services } from './domain/services.js';
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
  config: PciEdgeConfig & {
    /** The site the brand app's demo pages use. */
    brandSiteId: string;
    keepAliveMs?: number;
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
  /**
   * `/readyz`: checks beside the database's own (`database`), each's timeout and how long a
   * result is reused (ms; default 1000 each).
   */
  readiness?: { checks?: readonly ReadinessCheck[]; timeoutMs?: number; cacheMs?: number };
}

export interface SecureFormsApp {
  pci: PciApp;
  brand: ReturnType<typeof createBrandApp>;
  store: Store;
  accounts: AccountService;
  hub: EventHub;
  vault: Vault;
  services: Services;
  /** What `/readyz` answers. */
  readiness: Readiness;
  /**
   * A graceful shutdown's first step (before the listeners close): `/readyz` answers 503 from now
   * on, and every open event stream gets `retry: retryMs` and ends. Resolves when they have ended.
   */
  beginShutdown(retryMs: number): Promise<void>;
  /**
   * Housekeeping: expire invitations whose time is up; drop submissions past retention, spent keys,
   * ended sessions, closed conversations past the transcript retention, audit entries past the
   * audit retention; then expired off-the-record values.
   */
  purge(): Promise<PurgeResult>;
  /** Re-wrap every stored record under a new data key id; returns the new id and the count. */
  rotateKey(): Promise<{ keyId: string; rewrapped: number }>;
  /** Clear memory-only state (off-the-record values). The database is the caller's to close. */
  close(): void;
}

export { isDatabaseBusy };

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
  const streams = new OpenStreams();
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
    streams,
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

  const readiness = new Readiness(
    [{ name: 'database', check: () => void deps.db.prepare('SELECT 1').get() }, ...(deps.readiness?.checks ?? [])],
    { clock, logger, timeoutMs: deps.readiness?.timeoutMs, cacheMs: deps.readiness?.cacheMs },
  );
  const pci = createPciApp({ config, services, audit, logger, clock, frameDist: deps.paths.frameDist, readiness });

  const brand = createBrandApp({ paths: deps.paths, pciOrigin: config.pciOrigin, siteId: config.brandSiteId, logger });

  return {
    pci,
    brand,
    store,
    accounts,
    hub,
    vault,
    services,
    readiness,
    beginShutdown(retryMs) {
      readiness.stop();
      return streams.endAll(retryMs);
    },
    purge: () => purge({ store, invitations, sites: config.sites, offTheRecord: () => offTheRecord.values(), audit, logger, clock }),
    rotateKey: () => rotateKey({ store, vault, dataKeys, logger }),
    close() {
      for (const memory of offTheRecord.values()) memory.clear();
      // Counted refusals go to the sink now; the caller closes the sink itself (it owns it).
      audit.flush();
    },
  };
}
