/**
 * What the server (main.ts) and the operator commands (cli.ts) both open from a configuration:
 * the data directory, the sites file, the audit sink, the key custody, the database and the app.
 * Each failure the operator can fix is a StartError whose message says what to do.
 */
import { mkdirSync } from 'node:fs';
import { createApp, isDatabaseBusy, type SecureFormsApp } from './app.js';
import type { FileAuditSink } from './audit/file-sink.js';
import { fileAuditSink } from './audit/file-sink.js';
import { ConfigError, loadSites, type ServerConfig } from './config/index.js';
import { custodyFromEnv, type ConfiguredCustody } from './crypto/custody/config.js';
import { CustodyError } from './crypto/custody/types.js';
import { openEphemeral, redactRedisUrl, RedisRefused, type EphemeralState } from './ephemeral/index.js';
import type { Logger } from './logger.js';
import { defaultPaths } from './paths.js';
import { SitesFileError } from './sites/index.js';
import type { SiteConfig, Sites } from './sites/schema.js';
import { LegacySchemaError } from './storage/migrations.js';
import { openStore } from './storage/open.js';
import type { Store } from './storage/types.js';
import { isDatabaseUnavailable, redactUrl } from './storage/unavailable.js';

/** A configuration or environment problem: its message is the whole story (no stack needed). */
export class StartError extends Error {
  override readonly name = 'StartError';
}

export interface Opened {
  app: SecureFormsApp;
  /** The store the app runs on; the opener closes it. */
  store: Store;
  audit: FileAuditSink;
  keys: ConfiguredCustody;
  sites: Sites;
  /** The site the brand pages use: `demo`, else the first. */
  site: SiteConfig;
}

/** Whether `error` is one whose message alone tells the operator what to fix. */
export function isStartProblem(error: unknown): error is Error {
  return error instanceof StartError || error instanceof ConfigError || error instanceof SitesFileError || error instanceof CustodyError;
}

export async function openApp(config: ServerConfig, logger: Logger): Promise<Opened> {
  const dir = config.dataDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sites = loadSites(config);
  const site = sites.get('demo') ?? sites.all()[0]!;
  // Daily audit files (audit-YYYY-MM-DD[.<instance>].log, 0600) in the data directory, written asynchronously.
  const audit = fileAuditSink(dir, { clock: Date.now, logger, ...(config.instanceId ? { instance: config.instanceId } : {}) });
  // The key custody, with its checks (no key files in the data directory without the demo switch).
  let keys: ConfiguredCustody;
  try {
    keys = custodyFromEnv(config.env, dir, logger);
  } catch (error) {
    if (error instanceof CustodyError) throw error;
    throw new StartError(`The key custody could not be opened: ${error instanceof Error ? error.message : String(error)}`);
  }
  let ephemeral: EphemeralState;
  try {
    ephemeral = await openEphemeral(config.redis, Date.now);
    // Which state this instance shares (the URL without its password), so an operator can tell from the log.
    logger.info(
      config.redis ? { ephemeral: 'redis', redis: redactRedisUrl(config.redis.url), prefix: config.redis.prefix } : { ephemeral: 'memory' },
      'ephemeral state opened',
    );
  } catch (error) {
    keys.custody.close();
    if (error instanceof RedisRefused) throw new StartError(error.message);
    throw error;
  }
  const store = await openConfiguredStore(config, logger).catch(async (error: unknown) => {
    await ephemeral.close();
    throw error;
  });
  try {
    const app = await createApp({
      store,
      clock: Date.now,
      config: { sites, pciOrigin: config.pciOrigin, brandSiteId: site.id, trustedProxies: config.trustedProxies },
      custody: keys.custody,
      ephemeral,
      dataDir: dir,
      paths: defaultPaths(),
      audit,
      logger,
      webhooks: { allowPrivateTargets: config.webhooksAllowPrivateTargets },
      sso: { secrets: config.variable },
    });
    if (config.webhooksAllowPrivateTargets) {
      logger.warn('webhooks may go to private and loopback addresses (SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE): not for production');
    }
    return { app, store, audit, keys, sites, site };
  } catch (error) {
    await store.close();
    await ephemeral.close();
    throw busyAtStart(error, config) ?? error;
  }
}

/** The store the configuration names (PostgreSQL, else SQLite in the data directory), migrated. */
async function openConfiguredStore(config: ServerConfig, logger: Logger): Promise<Store> {
  const { databaseUrl } = config;
  try {
    return await openStore({
      dataDir: config.dataDir,
      sqliteCacheKib: config.sqliteCacheKib,
      ...(databaseUrl
        ? {
            databaseUrl,
            poolSize: config.databasePoolSize,
            statementTimeoutMs: config.databaseStatementTimeoutMs,
            // A pooled connection the server dropped while idle: the pool replaces it; say so, without the URL.
            onIdleError: (error: Error) =>
              logger.warn({ errorName: error.name, code: (error as { code?: string }).code }, 'database connection lost'),
          }
        : {}),
    });
  } catch (error) {
    if (error instanceof LegacySchemaError) throw new StartError(error.message);
    throw busyAtStart(error, config) ?? error;
  }
}

/** The StartError for a database another process holds or a PostgreSQL server out of reach, if `error` is one. */
function busyAtStart(error: unknown, config: ServerConfig): StartError | undefined {
  if (!(error instanceof Error)) return undefined;
  if (isDatabaseBusy(error)) {
    return new StartError(
      `The database in ${config.dataDir} is locked by another process (another Secure Forms server, a backup, a key rotation?). Stop it or wait for it to finish, then start again.`,
    );
  }
  const code = (error as { code?: unknown }).code;
  // Out of reach, or refusing these credentials (28…) or this database name (3D000).
  const refused = typeof code === 'string' && (code.startsWith('28') || code === '3D000');
  if (config.databaseUrl && (isDatabaseUnavailable(error) || refused)) {
    // The URL without its password; the driver's message names the host, never the password.
    return new StartError(
      `PostgreSQL at ${redactUrl(config.databaseUrl)} could not be used (${error.message}). Check SECURE_FORMS_DATABASE_URL and that the server is up, then start again.`,
    );
  }
  return undefined;
}
