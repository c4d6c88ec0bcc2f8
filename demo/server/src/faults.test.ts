/** Faults the server must survive with a clear answer: a database another process holds, a failed store. */
import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApp, isDatabaseBusy } from './app.js';
import { openStore } from './storage/open.js';
import { memoryAuditSink } from './audit/audit.js';
import { createLogger } from './logger.js';
import { demoSite, Sites } from './sites/index.js';
import { code, openForm, seal, sent, viewForm } from './test/flows.js';
import { harness } from './test/harness.js';

// SQLite only (better-sqlite3 opened directly): a write lock on the whole file is SQLite's.
describe('a database held by another process', () => {
  it('answers 503 with a clear message and Retry-After while writes are blocked, and serves reads', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-busy-'));
    const file = join(dir, 'secure-forms.sqlite');
    const db = new Database(file);
    const lines: string[] = [];
    const empty = mkdtempSync(join(tmpdir(), 'sf-empty-'));
    const app = await createApp({
      store: await openStore({ sqlite: db, busyDeadlineMs: 50 }),
      clock: Date.now,
      config: { sites: new Sites([demoSite(8080)]), pciOrigin: 'http://127.0.0.1:8443', brandSiteId: 'demo' },
      masterKey: Buffer.alloc(32, 7),
      paths: { frameDist: empty, pagesDist: empty, loaderDist: empty, panelDist: empty },
      audit: memoryAuditSink(),
      logger: createLogger({ destination: { write: (s: string) => void lines.push(s) } }),
    });
    const start = () =>
      app.pci.request('/v1/conversations', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ siteId: 'demo' }),
      });
    const first = await start();
    expect(first.status).toBe(201);
    const { conversationId, conversationToken } = (await first.json()) as { conversationId: string; conversationToken: string };

    const other = new Database(file);
    other.exec('BEGIN IMMEDIATE');
    const busy = await start();
    expect(busy.status).toBe(503);
    expect(busy.headers.get('Retry-After')).toBe('2');
    const body = (await busy.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('INTERNAL');
    expect(body.error.message).toMatch(/busy/);
    const read = await app.pci.request(`/v1/conversations/${conversationId}/messages`, {
      headers: { 'Secure-Forms-Conversation': conversationToken },
    });
    expect(read.status).toBe(200);
    other.exec('ROLLBACK');
    other.close();

    expect((await start()).status).toBe(201);
    expect(lines.some((l) => l.includes('"database busy"'))).toBe(true);
    expect(lines.some((l) => l.includes('"unhandled error"'))).toBe(false);
    db.close();
  });

  it('tells busy and locked apart from other errors', () => {
    expect(isDatabaseBusy(Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' }))).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error('x'), { name: 'SqliteError', code: 'SQLITE_LOCKED_SHAREDCACHE' }))).toBe(true);
    expect(isDatabaseBusy(Object.assign(new Error('x'), { name: 'SqliteError', code: 'SQLITE_CONSTRAINT' }))).toBe(false);
    expect(isDatabaseBusy(new Error('SQLITE_BUSY'))).toBe(false);
  });
});

describe('a submission the store could not write', () => {
  it('leaves the submit key unspent, so the visitor can send again', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const store = h.app.store;
    const original = store.insertSubmission.bind(store);
    store.insertSubmission = async () => {
      throw Object.assign(new Error('database is locked'), { name: 'SqliteError', code: 'SQLITE_BUSY' });
    };
    const failed = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body });
    expect(failed.status).toBe(503);
    store.insertSubmission = original;
    expect((await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body })).status).toBe(201);
    expect(await code(await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body }))).toBe('OTK_USED');
  });

  it('spends the submit key when the submission is refused', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const wrongParts = { ...body, fieldIds: { onTheRecord: ['cardNumber', 'cvv'], offTheRecord: [] }, offTheRecord: null };
    expect(await code(await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body: wrongParts }))).toBe('VALIDATION_FAILED');
    expect(await code(await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body }))).toBe('OTK_USED');
  });
});
