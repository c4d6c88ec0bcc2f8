// Server memory: the resident set of a fresh demo process holding N open invitations (sent, not
// yet answered) and N off-the-record values (forms opened, as the frame opens them in one request,
// and submitted, not yet retrieved). Filled through the HTTP API by autocannon (the visitor's steps
// of visitor-steps.ts), 100 invitations per conversation. The off-the-record store is sized for N
// in this run's sites file (memorySitesFile).
import type { PublicJwk } from '@secure-forms/shared';
import autocannon from 'autocannon';
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Api, type Envelopes, SESSION_HEADER, type Session, type VisitorConversation } from './api.ts';
import { memoryOf } from './proc.ts';
import type { Demo } from './processes.ts';
import type { HeapUsage, MemoryBreakdown, MemoryResults } from './results.ts';
import { round } from './stats.ts';
import { type Step, type VisitorContext, asAutocannonRequests, parseJson, visitorSteps } from './visitor-steps.ts';

/** What gc-on-signal.mjs writes: process.memoryUsage() and the resident set's parts (null off Linux). */
interface MemoryReport extends NodeJS.MemoryUsage {
  heapPhysical: number;
  rssAnon: number | null;
  rssFile: number | null;
  rssShmem: number | null;
}
/** A fill sequence's context. */
interface FillContext extends VisitorContext {
  conversation: VisitorConversation;
}
/** What a fill sequence needs. */
interface FillOptions {
  session: Session;
  conversations: VisitorConversation[];
  publicJwk: PublicJwk;
  envelopes: Envelopes;
  submit: boolean;
}

/** autocannon sequence: create (then open the form and submit when `submit`); `done()` per completed one. */
function fillSequence({
  session,
  conversations,
  publicJwk,
  envelopes,
  submit,
  done,
}: Omit<FillOptions, 'session'> & { session: Pick<Session, 'token'>; done: () => void }): Step<FillContext>[] {
  const createBody = JSON.stringify({ formId: 'card-payment', publicKey: publicJwk });
  let next = 0;
  const create: Step<FillContext> = {
    method: 'POST',
    setupRequest: (req, ctx) => {
      ctx.conversation = conversations[next++ % conversations.length]!;
      return {
        ...req,
        path: `/v1/conversations/${ctx.conversation.id}/invitations`,
        headers: { 'Content-Type': 'application/json', [SESSION_HEADER]: session.token },
        body: createBody,
      };
    },
    onResponse: (status, body, ctx) => {
      if (status !== 201) return;
      ctx.invitationId = parseJson<{ id: string }>(body).id;
      if (!submit) done();
    },
  };
  if (!submit) return [create];
  return [
    create,
    ...visitorSteps<FillContext>({ base: '/v1', token: (ctx) => ctx.conversation.token, envelopes, submitted: () => done() }),
  ];
}

/** Complete `count` sequences (retrying the shortfall of failed ones a few times). */
async function fill({ url, count, connections, ...o }: FillOptions & { url: string; count: number; connections: number }): Promise<number> {
  let completed = 0;
  // autocannon stops after `amount` requests, which may cut the last sequences short: top up.
  for (let attempt = 0; attempt < 10 && completed < count; attempt++) {
    const requests = fillSequence({ ...o, done: () => completed++ });
    const remaining = count - completed;
    // autocannon without a callback answers with a promise of its result.
    await autocannon({
      url,
      connections: Math.min(connections, remaining),
      amount: remaining * requests.length,
      pipelining: 1,
      timeout: 20,
      requests: asAutocannonRequests(requests),
    });
  }
  return completed;
}

/** The SQLite page cache limit the server runs with (its environment; better-sqlite3's default otherwise), in bytes. */
function sqliteCacheLimit(pid: number): number {
  try {
    const env = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
    const kib = Number(env.find((e) => e.startsWith('SECURE_FORMS_SQLITE_CACHE_KIB='))?.split('=')[1]);
    if (Number.isInteger(kib) && kib > 0) return kib * 1024;
  } catch {
    // not Linux: the library's default
  }
  return 16_000 * 1024;
}

const sizeOf = (file: string) => statSync(file, { throwIfNoEntry: false })?.size ?? 0;

/**
 * The resident set after a full GC by what holds it: V8's heap (its resident pages), memory
 * outside the heap that JavaScript objects hold (`external`: buffers, array buffers), SQLite's page
 * cache (at most its limit, and never more than the database and its WAL), node's code and shared
 * libraries (file pages), and the rest of the anonymous memory: malloc arenas (glibc's, SQLite's
 * other allocations, OpenSSL, libuv) and thread stacks. The SQLite figure is an upper bound, so
 * the malloc figure is a lower bound.
 */
function breakdown(demo: Demo, u: MemoryReport, rss: number): MemoryBreakdown | null {
  if (u.rssAnon == null || u.heapPhysical == null) return null;
  const database = sizeOf(join(demo.dataDir, 'secure-forms.sqlite')) + sizeOf(join(demo.dataDir, 'secure-forms.sqlite-wal'));
  const sqliteCache = Math.min(sqliteCacheLimit(demo.pid), database);
  return {
    rss,
    v8Heap: u.heapPhysical,
    external: u.external,
    sqliteCacheAtMost: sqliteCache,
    sqliteCacheLimit: sqliteCacheLimit(demo.pid),
    databaseBytes: database,
    codeAndLibraries: u.rssFile,
    mallocAndOther: Math.max(0, u.rssAnon - u.heapPhysical - u.external - sqliteCache),
  };
}

/** Fill a fresh demo with `count` open invitations, then `count` off-the-record values, and read its memory after each. */
export async function measureMemory({
  demo,
  api,
  session,
  publicJwk,
  envelopes,
  count,
  connections = 32,
  log = () => undefined,
}: {
  demo: Demo;
  api: Api;
  session: Session;
  publicJwk: PublicJwk;
  envelopes: Envelopes;
  count: number;
  connections?: number;
  log?: (line: string) => void;
}): Promise<MemoryResults> {
  /** The resident set after 2 s idle, and again after a full garbage collection (with the process's own breakdown). */
  const settle = async () => {
    await sleep(2000);
    const asIs = memoryOf(demo.pid)!;
    rmSync(demo.memoryReport!, { force: true });
    process.kill(demo.pid, 'SIGUSR2');
    await sleep(1500);
    const afterGc = memoryOf(demo.pid)!;
    let usage: HeapUsage | null = null;
    try {
      const u = JSON.parse(readFileSync(demo.memoryReport!, 'utf8')) as MemoryReport;
      usage = { heapUsed: u.heapUsed, heapTotal: u.heapTotal, external: u.external, arrayBuffers: u.arrayBuffers };
      usage.breakdown = breakdown(demo, u, afterGc.rss);
    } catch {
      // no report: the breakdown is left out
    }
    return { rss: asIs.rss, afterGc: afterGc.rss, peak: afterGc.peak, usage };
  };
  const conversations: VisitorConversation[] = [];
  for (let i = 0; i < Math.ceil((2 * count) / 100); i++) {
    const conversation = await api.startConversation(`Memory visitor ${i + 1}`);
    await api.assign(session, conversation.id);
    conversations.push(conversation);
  }
  const baseline = await settle();
  const mb = (m: { rss: number; afterGc: number }) =>
    `${(m.rss / 2 ** 20).toFixed(0)} MB, ${(m.afterGc / 2 ** 20).toFixed(0)} MB after a full GC`;
  log(`  baseline: ${mb(baseline)}`);
  const startedOpen = Date.now();
  const opened = await fill({
    url: demo.pciOrigin,
    count,
    connections,
    session,
    conversations: conversations.slice(0, conversations.length / 2),
    publicJwk,
    envelopes,
    submit: false,
  });
  const openSeconds = (Date.now() - startedOpen) / 1000;
  const withOpen = await settle();
  log(`  ${opened} open invitations (filled in ${openSeconds.toFixed(0)} s): ${mb(withOpen)}`);
  const startedOtr = Date.now();
  const submitted = await fill({
    url: demo.pciOrigin,
    count,
    connections,
    session,
    conversations: conversations.slice(conversations.length / 2),
    publicJwk,
    envelopes,
    submit: true,
  });
  const otrSeconds = (Date.now() - startedOtr) / 1000;
  const withOtr = await settle();
  log(`  + ${submitted} off-the-record values (filled in ${otrSeconds.toFixed(0)} s): ${mb(withOtr)}`);
  return {
    openInvitations: opened,
    offTheRecordValues: submitted,
    conversations: conversations.length,
    fillSeconds: { openInvitations: round(openSeconds, 1), offTheRecord: round(otrSeconds, 1) },
    rssBytes: {
      baseline: baseline.rss,
      baselineAfterGc: baseline.afterGc,
      withOpenInvitations: withOpen.rss,
      withOpenInvitationsAfterGc: withOpen.afterGc,
      withBoth: withOtr.rss,
      withBothAfterGc: withOtr.afterGc,
      peak: Math.max(withOtr.peak, withOtr.rss, withOtr.afterGc),
    },
    // process.memoryUsage() after each full GC: what the JavaScript heap holds, the rest is native.
    heapAfterGc: { baseline: baseline.usage, withOpenInvitations: withOpen.usage, withBoth: withOtr.usage },
  };
}
