import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';
import type { AuditEntry } from './audit.js';
import { fileAuditSink, nodeAuditFiles, type AuditFiles } from './file-sink.js';

const entry = (at: number): AuditEntry => ({ at: new Date(at).toISOString(), action: 'login', outcome: 'success', actor: 'anonymous' });
const silent = { error: () => undefined, info: () => undefined };

/** A disk in memory that can be filled up (ENOSPC) and emptied again. */
function testDisk() {
  const files = new Map<string, string>();
  const disk = {
    full: false,
    opened: 0,
    files,
    fs: {
      open(file: string) {
        disk.opened++;
        return new Writable({
          write(chunk: Buffer, _encoding, done) {
            if (disk.full) return done(Object.assign(new Error('no space left on device'), { code: 'ENOSPC' }));
            files.set(file, (files.get(file) ?? '') + chunk.toString());
            done();
          },
        });
      },
      list: () => Promise.resolve([...files.keys()].map((f) => f.split('/').at(-1)!)),
      remove: (file: string) => Promise.resolve(void files.delete(file)),
    } satisfies AuditFiles,
    lines: () => [...files.values()].flatMap((text) => text.split('\n').filter(Boolean)).map((l) => JSON.parse(l) as AuditEntry),
  };
  return disk;
}

describe('the audit file sink', () => {
  it('writes one 0600 file per UTC day through one stream, and retention deletes whole files by date without reading them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-audit-'));
    let now = Date.UTC(2026, 0, 1, 23, 59, 0);
    let opened = 0;
    const reads: string[] = [];
    const files: AuditFiles = {
      ...nodeAuditFiles,
      open: (file) => {
        opened++;
        return nodeAuditFiles.open(file);
      },
      list: (d) => {
        reads.push(d);
        return nodeAuditFiles.list(d);
      },
    };
    const sink = fileAuditSink(dir, { clock: () => now, logger: silent, files });
    for (let i = 0; i < 100; i++) sink.write(entry(now));
    now += 2 * 60_000;
    sink.write(entry(now));
    await sink.close();
    expect(opened).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['audit-2026-01-01.log', 'audit-2026-01-02.log']);
    expect(statSync(join(dir, 'audit-2026-01-01.log')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'audit-2026-01-01.log'), 'utf8').trim().split('\n')).toHaveLength(100);
    writeFileSync(join(dir, 'notes.txt'), 'not an audit file');

    // Everything before 2026-01-02T00:00Z: only the first day's file is wholly older.
    const later = fileAuditSink(dir, { clock: () => now, logger: silent, files });
    expect(await later.purge(Date.UTC(2026, 0, 2, 12))).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['audit-2026-01-02.log', 'notes.txt']);
    expect(reads).toEqual([dir]);
  });

  it('on a full disk: one alert line, unwritable, lines held; writable again by itself once there is room, the outage recorded', async () => {
    const disk = testDisk();
    const alerts: unknown[][] = [];
    let now = Date.UTC(2026, 5, 1);
    const sink = fileAuditSink('/audit', {
      clock: () => now,
      logger: { error: (...a: unknown[]) => void alerts.push(a), info: (...a: unknown[]) => void alerts.push(a) },
      files: disk.fs,
      retryMs: 1000,
    });
    sink.write(entry(now));
    await sleep(10);
    disk.full = true;
    for (let i = 0; i < 20; i++) sink.write(entry(now));
    await sleep(10);
    expect(sink.writable()).toBe(false);
    expect(sink.failure()).toBe('ENOSPC');
    expect(alerts).toEqual([[{ code: 'ENOSPC', dir: '/audit' }, 'audit log unwritable']]);

    disk.full = false;
    expect(sink.writable()).toBe(false); // not before the retry interval
    now += 1000;
    sink.writable();
    await sleep(10);
    expect(sink.writable()).toBe(true);
    expect(alerts.at(-1)).toEqual([{ previousCode: 'ENOSPC', lost: 0 }, 'audit log writable again']);
    const lines = disk.lines();
    expect(lines.filter((l) => l.action === 'login')).toHaveLength(21);
    expect(lines.find((l) => l.action === 'audit.resume')).toMatchObject({ actor: 'system', reason: 'ENOSPC', repeated: 0 });
  });

  it('never crashes on an unwritable directory (EACCES), and refuses writes with 503 until it recovers', async () => {
    const disk = testDisk();
    let denied = true;
    const files: AuditFiles = {
      ...disk.fs,
      open(file) {
        if (!denied) return disk.fs.open(file);
        // Like fs: the file is opened before any write, and the open fails.
        return new Writable({
          construct: (done) => setImmediate(() => done(Object.assign(new Error('permission denied'), { code: 'EACCES' }))),
          write: (_c, _e, done) => done(),
        });
      },
    };
    const h = await harness({ auditSink: (clock, logger) => fileAuditSink('/audit', { clock, logger, files, retryMs: 5000 }) });
    const first = await h.request('/v1/conversations', { body: { siteId: 'demo' } });
    expect(first.status).toBe(201);
    await sleep(10);

    const refused = await h.request('/v1/conversations', { body: { siteId: 'demo' } });
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBe('30');
    expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'SERVICE_BUSY',
      message: expect.stringContaining('audit log') as string,
    });
    await h.request('/v1/conversations', { body: { siteId: 'demo' } });
    // A read that changes nothing is still served.
    expect((await h.request('/v1/openapi.json')).status).toBe(200);
    expect(h.logLines.filter((l) => l.includes('audit log unwritable'))).toHaveLength(1);
    expect(h.logLines.find((l) => l.includes('audit log unwritable'))).toContain('"code":"EACCES"');

    denied = false;
    h.advance(5000);
    await h.request('/v1/conversations', { body: { siteId: 'demo' } }); // triggers the retry
    await sleep(10);
    const again = await h.request('/v1/conversations', { body: { siteId: 'demo' } });
    expect(again.status).toBe(201);
    await sleep(10);
    const lines = disk.lines();
    // The first start (held through the outage), the two 503 refusals, and what came after.
    expect(lines.filter((l) => l.action === 'conversation.start' && l.outcome === 'success').length).toBeGreaterThanOrEqual(2);
    expect(lines.filter((l) => l.reason === 'SERVICE_BUSY').length).toBeGreaterThanOrEqual(2);
    expect(lines.some((l) => l.action === 'audit.resume' && l.reason === 'EACCES')).toBe(true);
  });

  it('bounds every line: a 15 KB path and Origin are cut and marked, and the client address is recorded', async () => {
    const h = await harness();
    const long = 'x'.repeat(15_000);
    await h.request(`/v1/${long}`, { headers: { Origin: `http://${long}.example` }, address: '203.0.113.9' });
    const line = h.audit.entries.at(-1)!;
    expect(line).toMatchObject({ outcome: 'refused', address: '203.0.113.9', pathTruncated: true, originTruncated: true });
    expect(JSON.stringify(line).length).toBeLessThan(1000);
    expect(line.path!.length).toBe(256);
  });
});

describe('the audit file sink, several processes on one data directory', () => {
  const day = Date.UTC(2026, 0, 1, 12);

  it('three sinks appending to the same daily file at once lose no line and mix none (O_APPEND writes whole lines)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-audit-'));
    const sinks = [0, 1, 2].map(() => fileAuditSink(dir, { clock: () => day, logger: silent }));
    for (let i = 0; i < 2000; i++) for (const [n, sink] of sinks.entries()) sink.write({ ...entry(day), actor: `instance-${n}-${i}` });
    await Promise.all(sinks.map((s) => s.close()));
    const lines = readFileSync(join(dir, 'audit-2026-01-01.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(6000);
    expect(new Set(lines.map((l) => (JSON.parse(l) as AuditEntry).actor)).size).toBe(6000);
  });

  it('with an instance id each process writes its own daily file, and retention deletes every instance’s old files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-audit-'));
    writeFileSync(join(dir, 'audit-2025-12-31.log'), '');
    const sinks = ['pci-a', 'pci-b'].map((instance) => fileAuditSink(dir, { clock: () => day, logger: silent, instance }));
    for (const sink of sinks) sink.write(entry(day));
    await Promise.all(sinks.map((s) => s.close()));
    writeFileSync(join(dir, 'audit-2025-12-31.pci-c.log'), '');
    expect(readdirSync(dir).sort()).toEqual([
      'audit-2025-12-31.log',
      'audit-2025-12-31.pci-c.log',
      'audit-2026-01-01.pci-a.log',
      'audit-2026-01-01.pci-b.log',
    ]);
    expect(await sinks[0]!.purge(Date.UTC(2026, 0, 1))).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['audit-2026-01-01.pci-a.log', 'audit-2026-01-01.pci-b.log']);
  });

  it('three processes purging at once: each file deleted once, no purge fails on a file another one deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-audit-'));
    for (let d = 1; d <= 20; d++) writeFileSync(join(dir, `audit-2025-12-${String(d).padStart(2, '0')}.log`), '');
    const sinks = [0, 1, 2].map(() => fileAuditSink(dir, { clock: () => day, logger: silent }));
    const removed = await Promise.all(sinks.map((s) => s.purge(day)));
    expect(removed.reduce((a, b) => a + b, 0)).toBe(20);
    expect(readdirSync(dir)).toEqual([]);
  });
});
