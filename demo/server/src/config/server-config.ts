/**
 * The server's configuration: the environment (config/environment.ts) read into typed settings,
 * and the sites file it names (validated by the zod schema of sites/load.ts). main.ts and cli.ts
 * both start from here.
 */
import { DEFAULT_SITES_FILE, loadSitesFile } from '../sites/index.js';
import type { Sites } from '../sites/schema.js';
import { dataDir } from '../paths.js';
import { parseTrustedProxies } from '../http/client.js';
import { parseCacheKib } from '../storage/cache-size.js';
import { readEnvironment, type Environment } from './environment.js';

export interface ServerConfig {
  brandPort: number;
  pciPort: number;
  /** The PCI origin browsers reach: the proxy's when one is in front; else 127.0.0.1 on `pciPort`. */
  pciOrigin: string;
  /** Absolute; relative settings are taken from the repository root. */
  dataDir: string;
  sitesFile: string;
  demoPassword?: string;
  demoTotpSecret?: string;
  trustedProxies: string[];
  /** Undefined keeps better-sqlite3's default. */
  sqliteCacheKib?: number;
  /** PostgreSQL (`postgres://…`); undefined: SQLite in the data directory. */
  databaseUrl?: string;
  /** PostgreSQL: the pool's size (default 10). */
  databasePoolSize?: number;
  /** PostgreSQL: the statement timeout in ms (default 5000). */
  databaseStatementTimeoutMs?: number;
  logLevel: string;
  /** Redis for the ephemeral state and the event log; without it, this process's memory. */
  redis?: { url: string; prefix: string; allowPersistence: boolean };
  /** This instance's name among several on one data directory (its audit file's suffix). */
  instanceId?: string;
  /**
   * How long an idle connection stays open (ms): longer than a proxy's idle timeout toward the
   * backend, so that the proxy, not the backend, closes it (http/listen.ts).
   */
  keepAliveMs: number;
  /** On SIGTERM/SIGINT, how long in-flight requests may take before their connections are cut. */
  shutdownDeadlineMs: number;
  /** Webhooks may go to private and loopback addresses, and over http to loopback (tests and the local demo only). */
  webhooksAllowPrivateTargets: boolean;
  /** The validated variables, for the key custody (crypto/custody/config.ts reads its own). */
  env: Environment;
  /** A variable a site's settings name (a single sign-on client secret, by `clientSecretEnv`), from the same environment. */
  variable: (name: string) => string | undefined;
}

/** The configuration from `env`; throws ConfigError naming each bad variable. */
export function serverConfig(env: NodeJS.ProcessEnv): ServerConfig {
  const read = readEnvironment(env);
  return {
    brandPort: Number(read.PORT ?? 8080),
    pciPort: Number(read.PCI_PORT ?? 8443),
    pciOrigin: read.SECURE_FORMS_PCI_ORIGIN ?? `http://127.0.0.1:${Number(read.PCI_PORT ?? 8443)}`,
    dataDir: dataDir(read.SECURE_FORMS_DATA_DIR),
    sitesFile: read.SECURE_FORMS_SITES_FILE ?? DEFAULT_SITES_FILE,
    ...(read.SECURE_FORMS_DEMO_PASSWORD !== undefined ? { demoPassword: read.SECURE_FORMS_DEMO_PASSWORD } : {}),
    ...(read.SECURE_FORMS_DEMO_TOTP_SECRET !== undefined ? { demoTotpSecret: read.SECURE_FORMS_DEMO_TOTP_SECRET } : {}),
    trustedProxies: parseTrustedProxies(read.SECURE_FORMS_TRUSTED_PROXIES),
    ...(read.SECURE_FORMS_SQLITE_CACHE_KIB !== undefined ? { sqliteCacheKib: parseCacheKib(read.SECURE_FORMS_SQLITE_CACHE_KIB) } : {}),
    ...(read.SECURE_FORMS_DATABASE_URL !== undefined ? { databaseUrl: read.SECURE_FORMS_DATABASE_URL } : {}),
    ...(read.SECURE_FORMS_DATABASE_POOL_SIZE !== undefined ? { databasePoolSize: Number(read.SECURE_FORMS_DATABASE_POOL_SIZE) } : {}),
    ...(read.SECURE_FORMS_DATABASE_STATEMENT_TIMEOUT_MS !== undefined
      ? { databaseStatementTimeoutMs: Number(read.SECURE_FORMS_DATABASE_STATEMENT_TIMEOUT_MS) }
      : {}),
    logLevel: read.LOG_LEVEL ?? 'info',
    webhooksAllowPrivateTargets: read.SECURE_FORMS_WEBHOOKS_ALLOW_PRIVATE === '1',
    ...(read.SECURE_FORMS_REDIS_URL !== undefined
      ? {
          redis: {
            url: read.SECURE_FORMS_REDIS_URL,
            prefix: read.SECURE_FORMS_REDIS_PREFIX ?? 'secure-forms:',
            allowPersistence: read.SECURE_FORMS_REDIS_ALLOW_PERSISTENCE === '1',
          },
        }
      : {}),
    ...(read.SECURE_FORMS_INSTANCE_ID !== undefined ? { instanceId: read.SECURE_FORMS_INSTANCE_ID } : {}),
    keepAliveMs: Number(read.SECURE_FORMS_KEEP_ALIVE_SECONDS ?? 65) * 1000,
    shutdownDeadlineMs: Number(read.SECURE_FORMS_SHUTDOWN_DEADLINE_MS ?? 10_000),
    env: read,
    variable: (name) => env[name],
  };
}

/** The sites file the configuration names, `{PORT}` in its brand origins replaced by the brand port. */
export function loadSites(config: Pick<ServerConfig, 'sitesFile' | 'brandPort'>): Sites {
  return loadSitesFile(config.sitesFile, { PORT: String(config.brandPort) });
}
