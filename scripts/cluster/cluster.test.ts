/**
 * Several server instances behind one round-robin proxy per origin (scripts/cluster), on one
 * PostgreSQL database and one Redis: what one instance did, every other one knows. Real processes
 * (the built server, `npm run build` first), real engines (scripts/engines), requests through the
 * proxy so that consecutive ones land on different instances.
 *
 * PostgreSQL: `SECURE_FORMS_TEST_DATABASE_URL`'s server (a fresh database on it) or a private one.
 * Redis: always a private one, started in milliseconds: the instances are separate processes with
 * no key prefix of their own to keep them apart from other tests on a shared Redis.
 */
import {
  agentEventSchema,
  followEventStream,
  generateInvitationKeyPair,
  invitationViewSchema,
  openAnswers,
  retrieveOtkResponseSchema,
  retrieveResponseSchema,
  submitResponseSchema,
  type AgentEvent,
} from '@secure-forms/shared';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../security/http.js';
import { readEvent, readEvents } from '../../demo/server/src/test/event-stream.js';
import { code, CVV, openForm, retrieve, seal, sent, submitted, viewForm, type Client } from '../../demo/server/src/test/flows.js';
import { startEngines, type Engines } from '../engines/index.js';
import { clusterClient } from './client.js';
import { startCluster, type Cluster } from './cluster.js';
import type { SitesFile } from '../sites-file.js';
import { freshDatabase } from './database.js';
import { INSTANCE_HEADER } from './proxy.js';

const INSTANCES = 3;
/** The proxies on PORT_BASE and +1; the instances on free ports. */
const PORT_BASE = Number(process.env.CLUSTER_PORT_BASE ?? 18600);
const OFF_THE_RECORD_TTL_SECONDS = 3;
const LOCKOUT_THRESHOLD = 3;
/** The demo site's sign-in limit per operator and minute (sites.json, loginRateLimit.perOperator). */
const LOGIN_PER_OPERATOR = 10;

/** The demo site, with what these tests need: a short off-the-record TTL and an operator to lock. */
function sites(file: SitesFile): SitesFile {
  const [demo, ...rest] = file.sites as (Record<string, unknown> & { operators: unknown[] })[];
  return {
    sites: [
      {
        ...demo,
        offTheRecord: { ttlSeconds: OFF_THE_RECORD_TTL_SECONDS, maxEntries: 1000 },
        lockoutThreshold: LOCKOUT_THRESHOLD,
        loginRateLimit: { windowSeconds: 60, perOperator: LOGIN_PER_OPERATOR, perAddress: 30 },
        // Many chats from one test process within a minute (the security suite lifts them too).
        conversationRateLimit: { windowSeconds: 60, perAddress: 100_000, perSite: 1_000_000 },
        messageRateLimit: { windowSeconds: 60, perAddress: 100_000, perSite: 1_000_000 },
        operators: [...demo!.operators, { username: 'racer', displayName: 'Racer Burst', role: 'agent', profile: 'agent' }],
      },
      ...rest,
    ],
  };
}

let engines: Engines | undefined;
let dropDatabase: (() => Promise<void>) | undefined;
let cluster: Cluster;
let client: Client;

beforeAll(async () => {
  const shared = process.env.SECURE_FORMS_TEST_DATABASE_URL;
  engines = await startEngines({ postgres: !shared, redis: true });
  const database = await freshDatabase(shared ?? engines.databaseUrl!);
  dropDatabase = database.drop;
  cluster = await startCluster({
    instances: INSTANCES,
    portBase: PORT_BASE,
    freeInstancePorts: true,
    databaseUrl: database.url,
    redisUrl: engines.redisUrl!,
    sites,
  });
  client = clusterClient(cluster.pci, cluster.password);
}, 180_000);

afterAll(async () => {
  await cluster?.stop();
  await dropDatabase?.();
  await engines?.stop();
}, 60_000);

const instanceOf = (res: Response | { headers: Record<string, unknown> }) =>
  res instanceof Response ? res.headers.get(INSTANCE_HEADER) : String(res.headers[INSTANCE_HEADER]);

/**
 * Send probes until one lands on `instance`: the proxy is round-robin, so the next request (with
 * none other in flight) lands on another instance.
 */
async function nextLandsAfter(instance: string | null): Promise<void> {
  for (let i = 0; i < INSTANCES * 2; i++) {
    const probe = await fetch(`${cluster.pci}/v1/openapi.json`);
    await probe.arrayBuffer();
    if (instanceOf(probe) === instance) return;
  }
  throw new Error(`no probe landed on instance ${instance}`);
}

/** Audit lines of the shared data directory: each instance's daily files (audit-YYYY-MM-DD.instance-N.log). */
interface AuditLine {
  action: string;
  actor: string;
  outcome: string;
  reason?: string;
  repeated?: number;
  address?: string;
}

function auditLines(dataDir: string): AuditLine[] {
  return readdirSync(dataDir)
    .filter((name) => /^audit-\d{4}-\d{2}-\d{2}(\.[A-Za-z0-9_-][A-Za-z0-9._-]*)?\.log$/.test(name))
    .flatMap((name) => readFileSync(join(dataDir, name), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as AuditLine);
}

describe('several instances behind one proxy', () => {
  it('keeps the database in PostgreSQL: no SQLite file in the shared data directory', () => {
    expect(readdirSync(cluster.dataDir).filter((name) => name.includes('.sqlite'))).toEqual([]);
  });

  it('spreads consecutive requests over every instance', async () => {
    const seen: (string | null)[] = [];
    for (let i = 0; i < INSTANCES * 2; i++) {
      const res = await fetch(`${cluster.pci}/v1/openapi.json`);
      await res.arrayBuffer();
      seen.push(instanceOf(res));
    }
    expect(new Set(seen).size).toBe(INSTANCES);
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toBe(seen[i - 1]);
  });

  it('lets exactly one of 200 concurrent redemptions of one key win, whichever instance each reaches', async () => {
    const { visitor, invitation } = await sent(client, 'alice');
    const { viewOtk } = await openForm(client, visitor, invitation.id);
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        Promise.resolve(client.request('/v1/forms/view', { method: 'POST', headers: client.otk(viewOtk) })),
      ),
    );
    const statuses = answers.map((res) => res.status);
    const instances = new Set(answers.map((res) => instanceOf(res)));
    const codes = await Promise.all(answers.map((res) => (res.status === 200 ? res.arrayBuffer().then(() => 'won') : code(res))));
    expect(instances.size).toBe(INSTANCES);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    // Every other one is refused with a stable code, not a server error.
    expect(codes.filter((c) => typeof c !== 'string' || c === '')).toEqual([]);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
  }, 120_000);

  it('hands an off-the-record value submitted through one instance out through another, and forgets it after its TTL', async () => {
    const submitThenRetrieve = async () => {
      const s = await sent(client, 'bob');
      const events = await client.request('/v1/agent/events', { headers: s.alice.headers });
      const { viewOtk } = await openForm(client, s.visitor, s.invitation.id);
      const view = await viewForm(client, viewOtk);
      const sealed = await seal(view);
      const submit = await client.request('/v1/submissions', { headers: client.otk(view.submitOtk), body: sealed.body });
      expect(submit.status).toBe(201);
      const { submissionId } = submitResponseSchema.parse(await submit.json());
      const event = await readEvent(events, (e) => {
        const parsed = agentEventSchema.safeParse(e);
        return parsed.success && parsed.data.type === 'submission' && parsed.data.submissionId === submissionId ? parsed.data : undefined;
      });
      return { s, sealed, submit, submissionId, retrieveOtk: event.retrieveOtk };
    };
    const retrieveNow = async (r: Awaited<ReturnType<typeof submitThenRetrieve>>) =>
      client.request(`/v1/submissions/${r.submissionId}/retrieve`, {
        method: 'POST',
        headers: { ...client.otk(r.retrieveOtk), ...r.s.alice.headers },
      });

    const early = await submitThenRetrieve();
    const late = await submitThenRetrieve();
    await nextLandsAfter(instanceOf(early.submit));
    const res = await retrieveNow(early);
    expect(res.status).toBe(200);
    expect(instanceOf(res)).not.toBe(instanceOf(early.submit));
    const body = retrieveResponseSchema.parse(await res.json());
    expect(body.offTheRecordState).toBe('available');
    expect(await openAnswers(body.offTheRecord!, early.s.keys.privateKey, early.sealed.binding('off-the-record'))).toEqual({ cvv: CVV });

    await sleep(OFF_THE_RECORD_TTL_SECONDS * 1000 + 1500);
    await nextLandsAfter(instanceOf(late.submit));
    const after = await retrieveNow(late);
    expect(instanceOf(after)).not.toBe(instanceOf(late.submit));
    expect(after.status).toBe(200);
    const gone = retrieveResponseSchema.parse(await after.json());
    expect(gone.offTheRecordState).toBe('expired');
    expect(gone.offTheRecord).toBeNull();
    // The durable part is still there.
    expect(gone.onTheRecord).not.toBeNull();
  }, 60_000);

  it('hands the off-the-record part to exactly one of 50 parallel retrieves spread over the instances', async () => {
    const t = await submitted(client, 'bob');
    const otks = [t.retrieveOtk];
    for (let i = 1; i < 50; i++) {
      const res = await client.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers });
      expect(res.status).toBe(200);
      otks.push(retrieveOtkResponseSchema.parse(await res.json()).retrieveOtk);
    }
    const answers = await Promise.all(otks.map((otk) => Promise.resolve(retrieve(client, t.submissionId, otk, t.alice.headers))));
    expect(answers.map((r) => r.status)).toEqual(Array.from({ length: 50 }, () => 200));
    expect(new Set(answers.map((r) => instanceOf(r))).size).toBe(INSTANCES);
    const states = (await Promise.all(answers.map(async (r) => retrieveResponseSchema.parse(await r.json())))).map((b) => [
      b.offTheRecordState,
      b.offTheRecord !== null,
    ]);
    expect(states.filter(([state]) => state === 'available')).toEqual([['available', true]]);
    expect(states.filter(([state]) => state === 'handed-out')).toHaveLength(49);
  }, 60_000);

  it('checks at most lockoutThreshold passwords of 50 parallel wrong sign-ins spread over the instances', async () => {
    const racer = await client.session('racer');
    // Each from its own loopback address, so that the per-address limit stays out of the way.
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        call(`${cluster.pci}/v1/sessions`, {
          body: { siteId: 'demo', username: 'racer', password: `wrong-${i}-password-guess` },
          from: `127.0.8.${i + 1}`,
        }),
      ),
    );
    expect(new Set(answers.map((a) => instanceOf(a))).size).toBe(INSTANCES);
    expect(answers.filter((a) => a.status === 201)).toEqual([]);
    // Every refusal is audited against racer: a password checked and wrong (INVALID_CREDENTIALS, or ACCOUNT_LOCKED for the one that locked),
    // refused unchecked because the account is locked (login.locked), or rate-limited. The audit
    // files are written as lines arrive, by every instance: wait for all 50.
    const actor = `operator:${racer.operatorId}`;
    const kinds = () => {
      const tally: Record<string, number> = {};
      for (const l of auditLines(cluster.dataDir)) {
        if (l.actor !== actor || l.outcome !== 'refused') continue;
        const kind = l.action === 'login.locked' ? 'unchecked (locked)' : `${l.action} ${l.reason ?? ''}`;
        tally[kind] = (tally[kind] ?? 0) + 1 + (l.repeated ?? 0);
      }
      return tally;
    };
    const deadline = Date.now() + 10_000;
    while (Object.values(kinds()).reduce((a, b) => a + b, 0) < 50 && Date.now() < deadline) await sleep(200);
    const tally = kinds();
    // Each was seen from its client's own address: the proxy's X-Forwarded-For, believed because the
    // proxy connects from the address the instances trust (not the proxy's own address).
    const addresses = new Set(
      auditLines(cluster.dataDir)
        .filter((l) => l.actor === actor && l.outcome === 'refused')
        .map((l) => l.address),
    );
    expect([...addresses].sort()).toEqual(Array.from({ length: 50 }, (_, i) => `127.0.8.${i + 1}`).sort());
    const audited = Object.values(tally).reduce((a, b) => a + b, 0);
    const limited = tally['login RATE_LIMITED'] ?? 0;
    expect({
      audited,
      // Counted atomically before the check: however many instances, at most the threshold.
      // (Checked: refused as wrong, or, the one that locked, as now locked.)
      checked: (tally['login INVALID_CREDENTIALS'] ?? 0) + (tally['login ACCOUNT_LOCKED'] ?? 0),
      // The per-operator limit (10 a minute) is one count for every instance, not one per instance.
      pastTheRateLimit: audited - limited,
      tally,
    }).toEqual({
      audited: 50,
      checked: expect.toSatisfy((n: number) => n <= LOCKOUT_THRESHOLD),
      pastTheRateLimit: expect.toSatisfy((n: number) => n <= LOGIN_PER_OPERATOR),
      tally,
    });
  }, 60_000);

  it("numbers the agent's events, and replays what it missed to a stream that reconnects through another instance (Last-Event-ID)", async () => {
    const s = await sent(client, 'alice');
    const first = await client.request('/v1/agent/events', { headers: s.alice.headers });
    const firstInstance = instanceOf(first);
    const { viewOtk } = await openForm(client, s.visitor, s.invitation.id);
    // The visitor opened the form: the sender hears of it; the stream then drops.
    const opened = await readEvents(
      first,
      (events) =>
        events.some((e) => {
          const parsed = agentEventSchema.safeParse(e.data);
          return parsed.success && parsed.data.type === 'invitation' && parsed.data.invitation.id === s.invitation.id;
        }),
      10_000,
    );
    const last = opened.at(-1);
    expect(last?.id).toBeTruthy();

    // Submitted while no stream is open.
    const view = await viewForm(client, viewOtk);
    const submit = await client.request('/v1/submissions', { headers: client.otk(view.submitOtk), body: (await seal(view)).body });
    expect(submit.status).toBe(201);
    const { submissionId } = submitResponseSchema.parse(await submit.json());

    await nextLandsAfter(firstInstance);
    const again = await client.request('/v1/agent/events', { headers: { ...s.alice.headers, 'Last-Event-ID': last!.id! } });
    expect(instanceOf(again)).not.toBe(firstInstance);
    const replayed = await readEvents(
      again,
      (events) =>
        events.some((e) => {
          const parsed = agentEventSchema.safeParse(e.data);
          return parsed.success && parsed.data.type === 'submission' && parsed.data.submissionId === submissionId;
        }),
      10_000,
    );
    expect(
      replayed
        .map((e) => agentEventSchema.parse(e.data))
        .filter((e) => e.type === 'submission')
        .map((e) => e.submissionId),
    ).toContain(submissionId);
    // Nothing from before the id it asked from comes again.
    expect(replayed.map((e) => e.id)).not.toContain(last!.id);
  }, 60_000);

  it('loses no acknowledged submission when an instance is killed mid-burst, and the agent stream resumes on another without a gap', async () => {
    const BURST = 24;
    const alice = await client.session('alice');
    // Everything up to the submission, before the burst: the burst is the submissions alone.
    const ready: { view: Awaited<ReturnType<typeof viewForm>>; body: Awaited<ReturnType<typeof seal>>['body'] }[] = [];
    for (let i = 0; i < BURST; i++) {
      const visitor = await client.startConversation(`Burst ${i}`);
      expect((await client.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers })).status).toBe(200);
      const keys = await generateInvitationKeyPair();
      const res = await client.request(`/v1/conversations/${visitor.id}/invitations`, {
        headers: alice.headers,
        body: { formId: 'card-payment', publicKey: keys.publicJwk },
      });
      expect(res.status).toBe(201);
      const invitation = invitationViewSchema.parse(await res.json());
      const view = await viewForm(client, (await openForm(client, visitor, invitation.id)).viewOtk);
      ready.push({ view, body: (await seal(view)).body });
    }

    const received = new Map<string, Extract<AgentEvent, { type: 'submission' }>>();
    let opens = 0;
    let drops = 0;
    const stop = new AbortController();
    const opened = new Promise<void>((resolve) => {
      void followEventStream(`${cluster.pci}/v1/agent/events`, alice.headers, agentEventSchema, {
        signal: stop.signal,
        minDelayMs: 100,
        maxDelayMs: 1000,
        onOpen: () => {
          opens++;
          resolve();
        },
        onDrop: () => drops++,
        onRefused: () => undefined,
        onEvent: (event) => {
          if (event.type === 'submission') received.set(event.submissionId, event);
        },
      });
    });
    await opened;
    const streamInstance = cluster.pciProxy.streams.findIndex((n) => n > 0);
    expect(streamInstance).toBeGreaterThanOrEqual(0);

    const acknowledged: string[] = [];
    let next = 0;
    let killed: Promise<void> | undefined;
    const worker = async () => {
      while (next < ready.length) {
        const { view, body } = ready[next++]!;
        // Kill the agent stream's instance a third of the way in, while submissions are in flight.
        if (next === Math.floor(BURST / 3)) killed = cluster.kill(streamInstance, 'SIGKILL');
        // A submission in flight on the killed instance fails: it was never acknowledged.
        const res = await Promise.resolve(client.request('/v1/submissions', { headers: client.otk(view.submitOtk), body })).catch(
          () => undefined,
        );
        if (res?.status === 201) acknowledged.push(submitResponseSchema.parse(await res.json()).submissionId);
        else await res?.arrayBuffer();
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    await killed;

    const deadline = Date.now() + 20_000;
    while (acknowledged.some((id) => !received.has(id)) && Date.now() < deadline) await sleep(100);
    // The stream is open again, through another instance.
    const streamsAfter = [...cluster.pciProxy.streams];
    stop.abort();
    expect(streamsAfter[streamInstance]).toBe(0);
    expect(streamsAfter.reduce((a, b) => a + b, 0)).toBe(1);
    expect(acknowledged.length).toBeGreaterThanOrEqual(BURST / 2);
    expect(drops).toBeGreaterThanOrEqual(1);
    expect(opens).toBeGreaterThanOrEqual(2);
    expect(acknowledged.filter((id) => !received.has(id))).toEqual([]);

    // Each acknowledged submission is stored: retrieved (through the instances still running).
    for (const id of acknowledged) {
      const res = await client.request(`/v1/submissions/${id}/retrieve`, {
        method: 'POST',
        headers: { ...client.otk(received.get(id)!.retrieveOtk), ...alice.headers },
      });
      expect(res.status).toBe(200);
      expect(retrieveResponseSchema.parse(await res.json()).onTheRecord).not.toBeNull();
    }
  }, 120_000);
});
