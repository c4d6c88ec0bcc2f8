import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_FLUSH_MS, createLogger, logDestination } from './logger.js';

describe('the operational log', () => {
  let dir: string;
  let destination: ReturnType<typeof logDestination>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'secure-forms-log-'));
    // The destination owns the descriptor: ending it writes what it holds and closes it.
    destination = logDestination(openSync(join(dir, 'log'), 'a'));
  });
  afterEach(() => {
    destination.end();
    rmSync(dir, { recursive: true, force: true });
  });
  const written = () => readFileSync(join(dir, 'log'), 'utf8');

  it('writes its lines in batches, not with one write per line, and within a fraction of a second', async () => {
    const logger = createLogger({ destination });
    for (let i = 0; i < 10; i++) logger.info({ method: 'POST', path: '/v1/forms/view', status: 200, ms: 2 }, 'request');
    // A write per line would have started with the first line and ended by now.
    await sleep(20);
    expect(written()).toBe('');
    await sleep(LOG_FLUSH_MS + 100);
    expect(written().trim().split('\n')).toHaveLength(10);
  });

  it('writes a batch at once when it is full, without waiting for the timer', async () => {
    const logger = createLogger({ destination });
    for (let i = 0; i < 100; i++) logger.info({ method: 'POST', path: '/v1/forms/view', status: 200, ms: 2 }, 'request');
    await sleep(20);
    expect(written().length).toBeGreaterThan(0);
  });

  it('writes no more than a pipe takes atomically (4096 bytes) at once, and whole lines only', async () => {
    const writes = vi.spyOn(fs, 'write');
    const logger = createLogger({ destination });
    for (let i = 0; i < 200; i++) logger.info({ method: 'POST', path: '/v1/forms/view', status: 200, ms: i }, 'request');
    await sleep(LOG_FLUSH_MS + 100);
    const sizes = writes.mock.calls.map(([, data]) => Buffer.byteLength(String(data)));
    writes.mockRestore();
    expect(sizes.length).toBeGreaterThan(1);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(4096);
    expect(
      written()
        .trim()
        .split('\n')
        .map((line) => (JSON.parse(line) as { ms: number }).ms),
    ).toEqual([...Array(200).keys()]);
  });

  it('writes what it holds when the process exits, even at once after the line', () => {
    // The server's own start (main.ts) logs to standard output through logDestination(1).
    const script = [
      "import { createLogger, logDestination } from './demo/server/src/logger.ts';",
      "createLogger({ destination: logDestination(1) }).error({ code: 'X' }, 'last words');",
      'process.exit(3);',
    ].join('\n');
    let out = '';
    try {
      execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
        cwd: join(import.meta.dirname, '../../..'),
      });
    } catch (error) {
      out = String((error as { stdout?: Buffer }).stdout);
    }
    expect(out).toContain('last words');
  });
});
