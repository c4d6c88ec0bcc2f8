/**
 * createApp: the two Hono apps of the demo, wired to their dependencies, without opening a port.
 * Wiring only: the HTTP stack is http/pci-app.ts, the domain is domain/, maintenance is jobs/.
 *
 * - `pci`: the PCI origin: the /v1 API, the form frame page and its assets.
 * - `brand`: the brand origin: the demo pages, the loader and the agent panel scripts.
 */
import { AccountService } from './accounts/accounts.js';
import type { AuditSink } from './audit/audit.js';
import { durableFirst } from './audit/durable-first.js';
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
import { Integration } from './domain/integration.js';
import { WebhookEndpoints } from './domain/webhooks.js';
import { WebhookSender } from './jobs/webhooks/sender.js';
import { resolveHost, type Resolve } from './jobs/webhooks/targets.js';
import { nodeTransport, type Transport } from './jobs/webhooks/transport.js';
import { MemoryEphemeral } from './ephemeral/memory.js';
import type { EphemeralState } from './ephemeral/types.js';
import { OpenStreams } from './health/open-streams.js';
import { Readiness, type ReadinessCheck } from './health/readiness.js';
import { EventHub } from './events/hub.js';
import type { EventLog } from './events/log.js';
import { createPciApp, type PciApp, type PciEdgeConfig } from './http/pci-app.js';
import { Invitations } from './domain/invitations.js';
import { purge, type PurgeResult } from './jobs/purge.js';
import { rotateKey } from './jobs/rotate-key.js';
import type { Logger } from './logger.js';
import { OffTheRecordStore } from './domain/off-the-record.js';
import { OtkService } from './domain/otk.js';
import type { Runtime } from './domain/runtime.js';
import type { Services } from './domain/services.js';
import { isDatabaseBusy } from './storage/busy.js';
import type { Store } from './storage/types.js';
import { Submissions } from './domain/submissions.js';
import type { CustomFetch } from 'openid-client';
import { clientSecrets } from './accounts/sso/secrets.js';
import { SingleSignOn } from './accounts/sso/single-sign-on.js';

export interface AppPaths extends BrandPaths {
  /** packages/consumer-widget/dist/frame (index.html and assets/) */
  frameDist: string;
}

export interface AppDeps {
  /** The store, opened (and migrated) by `openStore`; whoever opened it closes it. */
  store: Store;
  /** Milliseconds since the epoch; every TTL reads it. */
  clock: () => number;
  config: PciEdgeConfig & {
    /** The site the brand app's demo pages use. */
    brandSiteId: string;
    keepAliveMs?: number;
  };
  /**
   * What expires or stays in memory (off-the-record values, challenges, rate limits, stream
   * slots): Redis when configured (shared by every instance); by default this process's memory.
   * The app closes it in `close()`.
   */
  ephemeral?: EphemeralState;
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
  /**
   * Webhooks: `allowPrivateTargets` lets endpoints be on private or loopback addresses, and on
   * plain http to loopback (tests and the local demo only: SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE);
   * the resolver, the transport and the jitter are injectable for tests.
   */
  webhooks?: { allowPrivateTargets?: boolean; resolve?: Resolve; transport?: Transport; jitter?: () => number; timeoutMs?: number };
  /**
   * Single sign-on: where the sites' client secrets are read (the server's environment, given by
   * bootstrap; none by default) and the fetch the OpenID Connect client uses (tests).
   */
  sso?: { secrets?: (name: string) => string | undefined; fetch?: CustomFetch };
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
  /** One round of the webhook sender: attempt the due deliveries (leased, so instances never send one twice at once); how many. */
  sendWebhooks(): Promise<number>;
  /** Re-wrap every stored record under a new data key id; returns the new id and the count. */
  rotateKey(): Promise<{ keyId: string; rewrapped: number }>;
  /**
   * Write out the audit lines it holds, clear memory-only state (off-the-record values) and close
   * the Redis connection if any. The audit sink and the database are the caller's to close, after it.
   */
  close(): Promise<void>;
}

export { isDatabaseBusy };

/** `log`, appending only once every commit made so far is durable (Store.durable): an event leaves the process. */
function durableEvents(log: EventLog, store: Store): EventLog {
  return {
    append: async (...entries) => {
      await store.durable();
      return log.append(...entries);
    },
    since: (id) => log.since(id),
    subscribe: (listener) => log.subscribe(listener),
    before: (a, b) => log.before(a, b),
    close: () => log.close(),
  };
}

export async function createApp(deps: AppDeps): Promise<SecureFormsApp> {
  const { clock, logger, config, store } = deps;
  const random = deps.random ?? defaultRandom;
  const offTheRecord = new Map<string, OffTheRecordStore>();
  const currentKeyId = (await store.getMeta(VAULT_KEY_META)) ?? 'k1';
  if (!deps.custody && !deps.masterKey) throw new Error('createApp needs a key custody or a master key.');
  const custody = deps.custody ?? new LocalCustody(deps.masterKey!, deps.dataDir);
  const dataKeys = await DataKeyRing.open(custody, store, clock);
  if ((await dataKeys.ensure(currentKeyId)) === 'legacy') {
    logger.warn(
      { keyId: currentKeyId },
      'records use a data key derived from the master key: run rotate-key to move them to a wrapped data key',
    );
  }
  const vault = new Vault(dataKeys, currentKeyId, random);
  const ephemeral = deps.ephemeral ?? new MemoryEphemeral(clock);
  const keepAliveMs = config.keepAliveMs ?? 15_000;
  // A stream refreshes its slot at each keep-alive; three missed ones and the slot is free.
  const hub = new EventHub(durableEvents(ephemeral.events, store), ephemeral.slots, Math.max(60_000, 3 * keepAliveMs));
  const accounts = new AccountService(store, config.sites, clock, random, vault, ephemeral);
  const streams = new OpenStreams();
  // Repeated anonymous refusals are counted and sampled before they reach the configured sink,
  // and a line leaves for it only once the commits it may tell of are durable.
  const durableAudit = durableFirst(deps.audit, store);
  const audit = new SampledAuditSink(durableAudit, clock);
  const rt: Runtime = {
    store,
    clock,
    random,
    sites: config.sites,
    hub,
    ephemeral,
    otks: new OtkService(store, clock, random),
    vault,
    historyKeys: new HistoryKeys(custody),
    accounts,
    offTheRecord(siteId) {
      let memory = offTheRecord.get(siteId);
      if (!memory) {
        const site = config.sites.get(siteId);
        memory = new OffTheRecordStore(ephemeral.once(`off-the-record:${siteId}`, site?.offTheRecord.maxEntries ?? 1000), clock);
        offTheRecord.set(siteId, memory);
      }
      return memory;
    },
    audit,
    logger,
    keepAliveMs,
    streams,
  };
  const targets = { allowPrivate: deps.webhooks?.allowPrivateTargets === true, resolve: deps.webhooks?.resolve ?? resolveHost };
  const conversations = new Conversations(rt);
  const invitations = new Invitations(rt, conversations);
  const services: Services = {
    rt,
    conversations,
    invitations,
    submissions: new Submissions(rt, conversations, invitations),
    history: new History(rt, conversations, invitations),
    integration: new Integration(rt, conversations, invitations),
    webhooks: new WebhookEndpoints(rt, targets),
    sso: new SingleSignOn(accounts, store, config.sites, clock, random, ephemeral, {
      pciOrigin: config.pciOrigin,
      secret: clientSecrets(config.sites, deps.sso?.secrets ?? (() => undefined)),
      ...(deps.sso?.fetch ? { fetch: deps.sso.fetch } : {}),
    }),
  };
  const sender = new WebhookSender({
    store,
    vault,
    clock,
    transport: deps.webhooks?.transport ?? nodeTransport(targets),
    audit,
    logger,
    ...(deps.webhooks?.jitter ? { jitter: deps.webhooks.jitter } : {}),
    ...(deps.webhooks?.timeoutMs ? { timeoutMs: deps.webhooks.timeoutMs } : {}),
  });

  const readiness = new Readiness(
    [
      { name: 'database', check: () => store.ping() },
      // Redis holds what every instance shares (off-the-record values, limits, the event log): without it, no traffic.
      ...(ephemeral.kind === 'redis' ? [{ name: 'redis', check: () => ephemeral.ping() }] : []),
      ...(deps.readiness?.checks ?? []),
    ],
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
    sendWebhooks: () => sender.runOnce(),
    rotateKey: () => rotateKey({ store, vault, dataKeys, logger }),
    async close() {
      // Counted refusals go to the sink now, and every line still waiting for a durable commit
      // reaches it; the caller closes the sink itself (it owns it), and the store after it.
      audit.flush();
      await durableAudit.drained();
      hub.close();
      await ephemeral.close();
    },
  };
}
