/**
 * What the server (main.ts) and the operator commands (cli.ts) both open from a configuration:
 * the data directory, the sites file, the audit sink, the key custody, the database and the app.
 * Each failure the operator can fix is a StartError whose message says what to do.
 */
import Database from 'better-sqlite3';
import type { Database as SqliteDatabase } from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { createApp, isDatabaseBusy, type SecureFormsApp } from './app.js';
import type { FileAuditSink } from './audit/file-sink.js';
import { fileAuditSink } from './audit/file-sink.js';
import { ConfigError, loadSites, type ServerConfig } from './config/index.js';
import { custodyFromEnv, type ConfiguredCustody } from './crypto/custody/config.js';
import { CustodyError } from './crypto/custody/types.js';
import type { Logger } from './logger.js';
import { defaultPaths } from './paths.js';
import { SitesFileError } from './sites/index.js';
import type { SiteConfig, Sites } from './sites/schema.js';
import { setCacheSize } from './storage/cache-size.js';

/** A configuration or environment problem: its message is the whole story (no stack needed). */
export class StartError extends Error {
  override readonly name = 'StartError';
}

export interface Opened {
  app: SecureFormsApp;
  db: SqliteDatabase;
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

export function openApp(config: ServerConfig, logger: Logger): Opened {
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
  const db = new Database(join(dir, 'secure-forms.sqlite'));
  try {
    // Inside the try: like the migrations, the pragma waits for a lock another process may hold.
    setCacheSize(db, config.sqliteCacheKib);
    const app = createApp({
      db,
      clock: Date.now,
      config: { sites, pciOrigin: config.pciOrigin, brandSiteId: site.id, trustedProxies: config.trustedProxies },
      custody: keys.custody,
      dataDir: dir,
      paths: defaultPaths(),
      audit,
      logger,
    });
    return { app, db, audit, keys, sites, site };
  } catch (error) {
    db.close();
    if (error instanceof Error && isDatabaseBusy(error)) {
      throw new StartError(
        `The database in ${dir} is locked by another process (another Secure Forms server, a backup, a key rotation?). Stop it or wait for it to finish, then start again.`,
      );
    }
    throw error;
  }
}
