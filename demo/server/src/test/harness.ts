/**
 * A whole PCI app for tests: a fresh store (in-memory SQLite, or a fresh PostgreSQL schema when
 * SECURE_FORMS_TEST_DATABASE_URL is set: see ./test-store.ts), a clock the test moves, a memory
 * audit sink, a logger whose lines the test can read, and the demo site with its seeded operators.
 * With SECURE_FORMS_TEST_REDIS_URL set, the ephemeral state is in that Redis under a fresh key
 * prefix per harness (closed when the test ends); else in the process's memory.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONVERSATION_HEADER,
  SESSION_HEADER,
  loginResponseSchema,
  otkAuthorization,
  startConversationResponseSchema,
} from '@secure-forms/shared';
import { onTestFinished } from 'vitest';
import { createApp, type AppDeps, type AppPaths } from '../app.js';
import { openEphemeral } from '../ephemeral/index.js';
import type { EphemeralState } from '../ephemeral/types.js';
import { memoryAuditSink, type AuditSink } from '../audit/audit.js';
import { createLogger, type Logger } from '../logger.js';
import { totpCode } from '../accounts/totp.js';
import type { KeyCustody } from '../crypto/custody/types.js';
import { hashPassword } from '../crypto/passwords.js';
import { demoSite, Sites, type SiteConfig } from '../sites/index.js';
import { openTestStore } from './test-store.js';
import type { Store } from '../storage/types.js';

export { collectStream, readEvent } from './event-stream.js';

/**
 * One empty directory per test process for the static-file paths a test does not set, made on
 * first use. Under Vitest it is inside the run's temporary directory, which the run removes at its
 * end (scripts/test-temp-dir.ts): Vitest ends its workers without the 'exit' event below.
 */
let emptyDir: string | undefined;
function emptyDirectory(): string {
  if (!emptyDir) {
    const dir = (emptyDir = mkdtempSync(join(tmpdir(), 'sf-empty-')));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return emptyDir;
}

export const PASSWORD = 'correct7horse8battery';
let passwordHash: Promise<string> | undefined;
export const BRAND = 'http://localhost:8080';
export const PCI = 'http://127.0.0.1:8443';

export async function harness(
  options: {
    paths?: Partial<AppPaths>;
    keepAliveMs?: number;
    site?: (site: SiteConfig) => SiteConfig;
    dataDir?: string;
    /** Another key custody (PKCS#11 on a test token); by default a local one on a random master key. */
    custody?: KeyCustody;
    /** Network-edge settings: trusted proxies, the one-time key guard's policy. */
    edge?: Pick<AppDeps['config'], 'trustedProxies' | 'otkGuard' | 'otkGuardSleep'>;
    /** Another audit sink (a file sink on a test file system); `audit` then stays empty. */
    auditSink?: (clock: () => number, logger: Logger) => AuditSink;
    /** More sites beside the demo site (no operators are seeded for them). */
    otherSites?: SiteConfig[];
    /** More `/readyz` checks, their timeout, the cache. */
    readiness?: AppDeps['readiness'];
    /** SQLite: how long a write waits for another connection's write lock (default 5 s). */
    busyDeadlineMs?: number;
    /** PostgreSQL: the statement timeout (default 5 s). */
    statementTimeoutMs?: number;
    /** Webhook targets, transport and jitter (by default: public https targets only, node's transport). */
    webhooks?: AppDeps['webhooks'];
    /** The ephemeral state in this Redis (a test's private one) instead of SECURE_FORMS_TEST_REDIS_URL's. */
    redisUrl?: string;
    /** Single sign-on: the client secrets and the OpenID Connect client's fetch. */
    sso?: AppDeps['sso'];
    /** The clock's start (epoch ms); a fixed day by default. Tests against a real server's tokens start at the wall clock. */
    startAt?: number;
    /** The store the app gets, made from the test store (say, with a durability the test holds back). */
    store?: (store: Store) => Store;
  } = {},
) {
  let now = options.startAt ?? Date.UTC(2026, 10, 29, 12, 0, 0);
  const clock = () => now;
  const { store, get, all, tables, schema } = await openTestStore({
    busyDeadlineMs: options.busyDeadlineMs,
    statementTimeoutMs: options.statementTimeoutMs,
  });
  const audit = memoryAuditSink();
  const logLines: string[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
  const site = options.site ? options.site(demoSite(8080)) : demoSite(8080);
  const empty = emptyDirectory();
  const masterKey = randomBytes(32);
  const redisUrl = options.redisUrl ?? process.env.SECURE_FORMS_TEST_REDIS_URL;
  const prefix = `test:${randomUUID()}:`;
  const ephemeral: EphemeralState = await openEphemeral(redisUrl ? { url: redisUrl, prefix, allowPersistence: false } : undefined, clock);
  const app = await createApp({
    ephemeral,
    store: options.store ? options.store(store) : store,
    clock,
    config: {
      sites: new Sites([site, ...(options.otherSites ?? [])]),
      pciOrigin: PCI,
      brandSiteId: 'demo',
      keepAliveMs: options.keepAliveMs ?? 60_000,
      ...options.edge,
    },
    masterKey,
    ...(options.custody ? { custody: options.custody } : {}),
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    paths: { frameDist: empty, pagesDist: empty, loaderDist: empty, panelDist: empty, ...options.paths },
    audit: options.auditSink ? options.auditSink(clock, logger) : audit,
    logger,
    ...(options.readiness ? { readiness: options.readiness } : {}),
    ...(options.webhooks ? { webhooks: options.webhooks } : {}),
    ...(options.sso ? { sso: options.sso } : {}),
  });
  // Inside a test, the app closes when it ends (a harness made in a beforeAll is left to the process).
  try {
    onTestFinished(() => app.close());
  } catch {
    // Not inside a test.
  }
  const totpSecrets = new Map<string, string>();
  for (const spec of site.operators) {
    passwordHash ??= hashPassword(PASSWORD);
    const seeded = await app.accounts.operators.ensure('demo', spec, PASSWORD, false, await passwordHash);
    if (seeded.totpSecret) totpSecrets.set(spec.username, seeded.totpSecret);
  }
  /** The TOTP code of a seeded operator at the harness clock (plus `offsetMs`). */
  const totp = (username: string, offsetMs = 0) => {
    const secret = totpSecrets.get(username);
    if (!secret) throw new Error(`${username} has no TOTP secret`);
    return totpCode(secret, now + offsetMs);
  };

  const request = (path: string, init: { method?: string; headers?: Record<string, string>; body?: unknown; address?: string } = {}) =>
    app.pci.request(
      path,
      {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: { ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }), ...init.headers },
        ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
      },
      { incoming: { socket: { remoteAddress: init.address ?? '127.0.0.1' } } },
    );

  /** Log in; for an operator with a second factor, the current TOTP code is sent unless `totp` is null. */
  async function login(username: string, password = PASSWORD, code?: string | null) {
    const withCode = code === undefined ? (totpSecrets.has(username) ? totp(username) : undefined) : (code ?? undefined);
    const res = await request('/v1/sessions', { body: { siteId: 'demo', username, password, ...(withCode ? { totp: withCode } : {}) } });
    return {
      res,
      body: res.status === 201 ? loginResponseSchema.parse(await res.json()) : ((await res.json()) as { error: { code: string } }),
    };
  }

  async function session(username: string): Promise<{ token: string; operatorId: string; headers: Record<string, string> }> {
    // A TOTP code is accepted once: step the clock past the last one used.
    if (totpSecrets.has(username)) now += 30_000;
    const { res, body } = await login(username);
    if (res.status !== 201 || !('token' in body)) throw new Error(`login ${username} failed`);
    return { token: body.token, operatorId: body.operator.id, headers: { [SESSION_HEADER]: body.token } };
  }

  async function startConversation(visitorName = 'Vera Visitor') {
    const res = await request('/v1/conversations', { body: { siteId: 'demo', visitorName } });
    const body = startConversationResponseSchema.parse(await res.json());
    return { id: body.conversationId, token: body.conversationToken, headers: { [CONVERSATION_HEADER]: body.conversationToken } };
  }

  return {
    app,
    /** Read the database directly (tests of what is stored): SQL with `?` placeholders, snake_case columns. */
    all,
    get,
    tables,
    /** PostgreSQL: the harness's schema (tests of the engine itself); SQLite: undefined. */
    schema,
    audit,
    logLines,
    request,
    totp,
    masterKey,
    login,
    session,
    startConversation,
    otk: (key: string) => ({ Authorization: otkAuthorization(key) }),
    advance: (ms: number) => {
      now += ms;
    },
    now: () => now,
  };
}
