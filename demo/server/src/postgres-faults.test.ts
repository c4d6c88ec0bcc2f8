/**
 * PostgreSQL that cannot serve a request in time, or loses the connection under it, gets the
 * same answer as SQLite's held lock: 503 with Retry-After, nothing stored, the next request
 * served. And a server that cannot reach PostgreSQL at start says so, without the URL's password.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openApp, StartError } from './bootstrap.js';
import { serverConfig } from './config/index.js';
import { createLogger } from './logger.js';
import { harness } from './test/harness.js';
import { onPostgres, TEST_DATABASE_URL } from './test/test-store.js';

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Another connection to the harness's schema, holding an exclusive lock on `table` until released. */
async function holdTable(schema: string, table: string) {
  const other = new pg.Client({ connectionString: TEST_DATABASE_URL, options: `-c search_path=${schema}` });
  await other.connect();
  await other.query('BEGIN');
  await other.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    await other.query('ROLLBACK');
    await other.end();
  };
}

describe.skipIf(!onPostgres)('PostgreSQL too slow or gone mid-request', () => {
  const start = (h: Awaited<ReturnType<typeof harness>>) => h.request('/v1/conversations', { body: { siteId: 'demo' } });

  it('answers 503 with Retry-After when a statement passes the statement timeout, then serves again', async () => {
    const h = await harness({ statementTimeoutMs: 300 });
    const release = await holdTable(h.schema!, 'conversations');
    const started = performance.now();
    const refused = await start(h);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('2');
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('INTERNAL');
    expect(performance.now() - started).toBeGreaterThanOrEqual(280);
    await release();
    expect(await h.get('SELECT COUNT(*) AS n FROM conversations')).toEqual({ n: 0 });
    expect((await start(h)).status).toBe(201);
    expect(h.logLines.some((l) => l.includes('"database busy"'))).toBe(true);
    expect(h.logLines.some((l) => l.includes('"unhandled error"'))).toBe(false);
  });

  it('answers 503 with Retry-After when the connection is lost under a request, then serves again', async () => {
    const h = await harness();
    const release = await holdTable(h.schema!, 'conversations');
    const pending = start(h);
    await later(200);
    // End the server process of the waiting statement, as a failover or a restart would.
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query ILIKE 'insert into "conversations"%'`,
    );
    await admin.end();
    expect(rowCount).toBe(1);
    const refused = await pending;
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('2');
    await release();
    expect((await start(h)).status).toBe(201);
  });
});

describe('PostgreSQL out of reach at start', () => {
  it('stops with a StartError naming the server without the password', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-pg-down-'));
    const config = serverConfig({
      SECURE_FORMS_DATA_DIR: dir,
      SECURE_FORMS_ALLOW_LOCAL_KEYS: '1',
      // Port 9 (discard) on loopback: nothing listens there.
      SECURE_FORMS_DATABASE_URL: 'postgres://forms:s3cret-Pa55@127.0.0.1:9/forms',
    });
    const error = await openApp(config, createLogger({ level: 'silent' })).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartError);
    expect((error as Error).message).toMatch(/PostgreSQL at postgres:\/\/forms:\*\*\*@127\.0\.0\.1:9\/forms could not be used/);
    expect((error as Error).message).not.toContain('s3cret-Pa55');
  });
});
