/**
 * While another connection holds SQLite's write lock, the server keeps answering: requests that do
 * not write are served at once, a write waits for the lock without freezing the event loop (and
 * answers 503 with Retry-After past its deadline), and so does the retention job.
 *
 * SQLite only (better-sqlite3 opened directly, whatever SECURE_FORMS_TEST_DATABASE_URL says): a
 * file lock held by another connection is SQLite's; PostgreSQL locks rows, not the database.
 */
import Database from 'better-sqlite3';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { openStore } from './storage/open.js';
import { memoryAuditSink } from './audit/audit.js';
import { createLogger } from './logger.js';
import { demoSite, Sites } from './sites/index.js';

/** Requests that do not write must answer within this while the lock is held. */
const PROMPT_MS = 100;

const open: { close(): void }[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

async function setup(busyDeadlineMs?: number) {
  const dir = mkdtempSync(join(tmpdir(), 'sf-lock-'));
  const file = join(dir, 'secure-forms.sqlite');
  const frameDist = join(dir, 'frame');
  mkdirSync(join(frameDist, 'assets'), { recursive: true });
  writeFileSync(join(frameDist, 'assets', 'frame.js'), 'export {};\n');
  const db = new Database(file);
  open.push(db);
  const app = await createApp({
    store: await openStore({ sqlite: db, ...(busyDeadlineMs === undefined ? {} : { busyDeadlineMs }) }),
    clock: Date.now,
    config: {
      sites: new Sites([demoSite(8080)]),
      pciOrigin: 'http://127.0.0.1:8443',
      brandSiteId: 'demo',
    },
    masterKey: Buffer.alloc(32, 7),
    paths: { frameDist, pagesDist: dir, loaderDist: dir, panelDist: dir },
    audit: memoryAuditSink(),
    logger: createLogger({ destination: { write: () => undefined } }),
  });
  const startChat = () =>
    app.pci.request('/v1/conversations', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ siteId: 'demo' }),
    });
  /** Another connection to the same file, holding the write lock. */
  const holdWriteLock = () => {
    const other = new Database(file);
    open.push(other);
    other.exec('BEGIN IMMEDIATE');
    return () => other.exec('ROLLBACK');
  };
  /** The OpenAPI document is built on its first request: build it before the lock is taken. */
  const warm = async () => {
    await (await app.pci.request('/v1/openapi.json')).arrayBuffer();
    await (await app.pci.request('/frame/assets/frame.js')).arrayBuffer();
  };
  return { app, startChat, holdWriteLock, warm };
}

/** How long `request` takes to answer, in milliseconds, and its status. */
async function timed(request: () => Response | Promise<Response>): Promise<{ ms: number; status: number }> {
  const started = performance.now();
  const response = await request();
  await response.arrayBuffer();
  return { ms: performance.now() - started, status: response.status };
}

/** How late a zero-delay timer fires: the event loop's delay right now. */
function loopDelay(): Promise<number> {
  const started = performance.now();
  return new Promise((resolve) => setTimeout(() => resolve(performance.now() - started), 0));
}

const later = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a write lock held by another connection', () => {
  it('serves the OpenAPI document and a static file at once while a write waits, and the write succeeds after the lock', async () => {
    const { app, startChat, holdWriteLock, warm } = await setup();
    await warm();
    const release = holdWriteLock();
    const write = Promise.resolve(startChat());
    let settled = false;
    void write.then(() => (settled = true));
    await later(20);
    const delay = loopDelay();
    const openApi = await timed(() => app.pci.request('/v1/openapi.json'));
    const asset = await timed(() => app.pci.request('/frame/assets/frame.js'));
    expect(await delay).toBeLessThan(PROMPT_MS);
    expect(openApi).toMatchObject({ status: 200 });
    expect(openApi.ms).toBeLessThan(PROMPT_MS);
    expect(asset).toMatchObject({ status: 200 });
    expect(asset.ms).toBeLessThan(PROMPT_MS);
    await later(200);
    expect(settled).toBe(false);
    release();
    expect((await write).status).toBe(201);
  });

  it('answers 503 with Retry-After when the lock is still held at the deadline, without freezing meanwhile', async () => {
    const { app, startChat, holdWriteLock, warm } = await setup(300);
    await warm();
    const release = holdWriteLock();
    const write = timed(startChat);
    await later(50);
    const openApi = await timed(() => app.pci.request('/v1/openapi.json'));
    expect(openApi.ms).toBeLessThan(PROMPT_MS);
    const refused = await write;
    expect(refused.status).toBe(503);
    expect(refused.ms).toBeGreaterThanOrEqual(280);
    release();
    expect((await startChat()).status).toBe(201);
  });

  it('lets the retention job wait for the lock without freezing the event loop', async () => {
    const { app, holdWriteLock, warm } = await setup();
    await warm();
    const release = holdWriteLock();
    let done = false;
    const purge = app.purge().then((result) => {
      done = true;
      return result;
    });
    await later(20);
    expect(await loopDelay()).toBeLessThan(PROMPT_MS);
    const openApi = await timed(() => app.pci.request('/v1/openapi.json'));
    expect(openApi.ms).toBeLessThan(PROMPT_MS);
    expect(done).toBe(false);
    release();
    await expect(purge).resolves.toMatchObject({ submissions: 0 });
  });
});
