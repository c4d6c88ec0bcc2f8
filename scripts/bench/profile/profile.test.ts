/**
 * Where a round trip's CPU goes: the rules that put a profile's sample in a category, and the
 * summary of a small profile (busy time per category, the functions with the most self time, the
 * garbage collector's pauses), as the bench reports them.
 */
import type { Profiler } from 'node:inspector';
import { describe, expect, it } from 'vitest';
import { categoryOf } from './rules.ts';
import { shortUrl, summarizeProfiles } from './summary.ts';

const REPO = 'file:///work/repo';
const js = (functionName: string, url: string) => ({ functionName, url });
const native = (functionName: string) => ({ functionName, url: '' });

describe('the category of a sample', () => {
  it("gives a native SQLite call's time to SQLite, whoever calls it", () => {
    expect(categoryOf([native('run'), js('run', `${REPO}/demo/server/dist/storage/statement-cache.js`)])).toBe('sqlite');
    expect(categoryOf([native('all'), js('select', `${REPO}/demo/server/dist/domain/views.js`)])).toBe('sqlite');
    expect(categoryOf([js('executeQuery', `${REPO}/node_modules/kysely/dist/esm/dialect/sqlite/sqlite-driver.js`)])).toBe('sqlite');
    // The floor's routes do nothing but their statements; V8 gives a native call's time to its caller.
    expect(categoryOf([js('spend', `${REPO}/scripts/bench/essential-routes.mjs`)])).toBe('sqlite');
  });
  it('tells Kysely’s query building from its SQLite driver', () => {
    expect(categoryOf([js('compileQuery', `${REPO}/node_modules/kysely/dist/esm/query-compiler/default-query-compiler.js`)])).toBe(
      'kysely',
    );
  });
  it("gives a socket write to node's HTTP server, and a log line's file write to logging", () => {
    const writev = js('writevGeneric', 'node:internal/stream_base_commons');
    expect(categoryOf([native('writev'), writev, js('end', 'node:_http_outgoing')])).toBe('http');
    const sonic = js('actualWrite', `${REPO}/node_modules/sonic-boom/index.js`);
    expect(categoryOf([native('writeString'), js('write', 'node:fs'), sonic, js('write', `${REPO}/node_modules/pino/lib/proto.js`)])).toBe(
      'logging',
    );
  });
  it("passes node core's general-purpose modules through to their caller", () => {
    const stack = [js('from', 'node:buffer'), js('emit', 'node:events'), js('json', `${REPO}/node_modules/hono/dist/context.js`)];
    expect(categoryOf(stack)).toBe('hono');
    expect(
      categoryOf([native('runMicrotasks'), js('processTicksAndRejections', 'node:internal/process/task_queues'), native('(root)')]),
    ).toBe('node');
  });
  it('names the middleware, the audit trail, crypto, zod, async hooks and the server’s own code', () => {
    expect(categoryOf([js('guard', `${REPO}/demo/server/dist/middleware/otk-guard/index.js`)])).toBe('middleware');
    expect(categoryOf([js('(anonymous)', `${REPO}/demo/server/dist/middleware/audit-trail/index.js`)])).toBe('logging');
    expect(categoryOf([js('hash', 'node:internal/crypto/hash')])).toBe('crypto');
    expect(categoryOf([js('parse', `${REPO}/node_modules/zod/v4/core/schemas.js`)])).toBe('validation');
    expect(categoryOf([js('promiseInitHook', 'node:internal/async_hooks')])).toBe('async-hooks');
    expect(categoryOf([js('retrieve', `${REPO}/demo/server/dist/domain/submissions.js`)])).toBe('server');
    expect(categoryOf([js('(anonymous)', `${REPO}/scripts/bench/bare-server.mjs`)])).toBe('server');
  });
  it("takes V8's own entries as they are, and anything unnamed as other", () => {
    expect(categoryOf([native('(garbage collector)')])).toBe('gc');
    expect(categoryOf([native('(program)')])).toBe('program');
    expect(categoryOf([js('fetch', `${REPO}/node_modules/some-package/index.js`)])).toBe('other');
  });
});

/**
 * A profile of one thread: a root, the idle node, the garbage collector, a native SQLite call under
 * the statement cache, and Hono's dispatch. Samples every 1 ms from t = 1,000,000 µs.
 */
function fixtureProfile(samples: number[]): Profiler.Profile {
  const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber, columnNumber: 0, scriptId: '0' });
  return {
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 3, 4, 6] },
      { id: 2, callFrame: frame('(idle)') },
      { id: 3, callFrame: frame('(garbage collector)') },
      { id: 4, callFrame: frame('run', `${REPO}/demo/server/dist/storage/statement-cache.js`, 15), children: [5] },
      { id: 5, callFrame: frame('run') },
      { id: 6, callFrame: frame('dispatch', `${REPO}/node_modules/hono/dist/compose.js`, 22) },
    ],
    startTime: 1_000_000,
    endTime: 1_000_000 + samples.length * 1000,
    samples,
    timeDeltas: samples.map(() => 1000),
  };
}

describe('the summary of a profile', () => {
  // 2 idle, 3 garbage collector (one pause of 2 ms, one of 1 ms), 4 SQLite, 1 Hono; the last sample stands for no time.
  const profile = fixtureProfile([2, 5, 5, 3, 3, 6, 5, 2, 3, 5, 6]);

  it('leaves idle out, and shares the busy time by category', () => {
    const s = summarizeProfiles([profile]);
    expect(s.busyMs).toBe(8);
    expect(s.categories.map((c) => [c.id, c.ms, c.share])).toEqual([
      ['sqlite', 4, 0.5],
      ['gc', 3, 0.375],
      ['hono', 1, 0.125],
    ]);
  });
  it('lists the functions by self time, with where they are and their category', () => {
    const s = summarizeProfiles([profile], { top: 2 });
    expect(s.top).toEqual([
      { name: 'run', where: 'native', category: 'sqlite', ms: 4, share: 0.5 },
      { name: '(garbage collector)', where: 'V8', category: 'gc', ms: 3, share: 0.375 },
    ]);
  });
  it("counts the garbage collector's pauses as runs of its samples", () => {
    expect(summarizeProfiles([profile]).gcPauses).toEqual({ count: 2, totalMs: 3, longestMs: 2, atLeast10Ms: 0 });
  });
  it('keeps only the samples inside the window, and adds the threads together', () => {
    // Samples at 1,001,000 µs, 1,002,000 µs, …: the window holds the 4th to the 6th (3, 3, 6).
    const s = summarizeProfiles([profile, fixtureProfile([6, 6])], { window: { fromUs: 1_004_000, toUs: 1_007_000 } });
    expect(s.threads).toBe(2);
    expect(s.categories.map((c) => [c.id, c.ms])).toEqual([
      ['gc', 2],
      ['hono', 1],
    ]);
  });
  it('shortens script addresses to the package or the repository path', () => {
    expect(shortUrl(`${REPO}/node_modules/kysely/dist/esm/index.js`)).toBe('kysely/dist/esm/index.js');
    expect(shortUrl(`${REPO}/demo/server/dist/app.js`)).toBe('demo/server/dist/app.js');
    expect(shortUrl('node:_http_server')).toBe('node:_http_server');
    expect(shortUrl('')).toBe('native');
  });
});
