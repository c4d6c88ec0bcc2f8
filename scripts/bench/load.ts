// Backend throughput: full round trips through the running demo, driven by autocannon (a request
// sequence per connection, with a per-sequence context), and the same generator against a bare
// Hono route in the same run for the per-request overhead.
//
// One round trip is four requests, as the panel and the frame make them:
//   1. POST /v1/conversations/:cid/invitations  (agent session; the panel's public key)
//   2. POST /v1/invitations/:iid/view?locale=en (visitor's conversation token in its header, no
//                                                body) -> the open counted; form, keys, submit OTK
//   3. POST /v1/submissions                     (submit OTK; two sealed envelopes)
//   4. POST /v1/submissions/:sid/retrieve       (agent session + the retrieve OTK that the agent's
//                                                event stream delivered)
// The retrieve OTK comes, as in the panel, from the agent's event stream (read by this process).
// The event reaches the stream a moment after the submit response, and autocannon builds the next
// request as soon as a response is in, so step 4 retrieves the oldest submission whose event has
// arrived (in a steady state, the one submitted a sequence earlier). A round trip's latency is the
// time of its own four requests: create to submit response, plus its retrieve request.
// Throughput counts completed retrieves (steadyRate).
// The round trips take turns over as many conversations as there are connections, all taken by
// the agent beforehand. The envelopes are
// sealed once (to the panel's and the site's history key, as the frame does) and sent with every
// submission: the backend stores them as they are, and sealing is the browser's work, not the
// backend's.
import type { PublicJwk } from '@secure-forms/shared';
import autocannon from 'autocannon';
import { performance } from 'node:perf_hooks';
import { CONVERSATION_HEADER, type Envelopes, SESSION_HEADER, type VisitorConversation, otkAuthorization } from './api.ts';
import type { LoadFigures } from './results.ts';
import { round, steadyRate, summarize } from './stats.ts';
import { type Step, type SubmitAnswer, type VisitorContext, asAutocannonRequests, parseJson, visitorSteps } from './visitor-steps.ts';

/** A round trip's requests, in order, as results.json names them (its `steps`). */
export const STEPS = ['create', 'view', 'submit', 'retrieve'];

/** Failed requests counted by kind (`submit 409`). */
export type Counter = ReturnType<typeof counter>;
/** What every sequence gets from measure(): where to count a round trip and a failure. */
export interface RunHooks {
  onRoundTrip: (ms: number) => void;
  failures: Counter;
}
/** What every sequence needs from the agent side. */
export interface SequenceOptions extends RunHooks {
  session: { token: string };
  conversations: Pick<VisitorConversation, 'id' | 'token'>[];
  publicJwk: PublicJwk;
  envelopes: Envelopes;
}

function counter() {
  const counts: Record<string, number> = {};
  return {
    counts,
    add(key: string) {
      counts[key] = (counts[key] ?? 0) + 1;
    },
  };
}

/** A submission waiting for its retrieve key, with the time its first three requests took. */
interface Pending {
  submissionId: string;
  ms: number;
}
/** A demo round trip's context. */
interface DemoContext extends VisitorContext {
  started: number;
  conversation: Pick<VisitorConversation, 'id' | 'token'>;
  submissionId?: string;
  submittedMs: number;
  retrieving: Pending & { otk: string };
  retrieveStarted: number;
}

/** The autocannon request sequence of one round trip against the demo; `retrieveOtks` is filled from the agent's event stream. */
export function demoSequence(o: SequenceOptions & { retrieveOtks: Map<string, string> }): Step<DemoContext>[] {
  const json = { 'Content-Type': 'application/json' };
  const session = { [SESSION_HEADER]: o.session.token };
  const createBody = JSON.stringify({ formId: 'card-payment', publicKey: o.publicJwk });
  let next = 0;
  const failed = (step: string, status: number) => o.failures.add(`${step} ${status}`);
  /** Submitted, waiting for their retrieve OTK, oldest first. */
  const pending: Pending[] = [];
  const takeReady = () => {
    // The oldest few only: events arrive in submission order, give or take a connection.
    for (let i = 0; i < Math.min(pending.length, 16); i++) {
      const otk = o.retrieveOtks.get(pending[i]!.submissionId);
      if (otk) {
        o.retrieveOtks.delete(pending[i]!.submissionId);
        return { ...pending.splice(i, 1)[0]!, otk };
      }
    }
    return undefined;
  };
  return [
    {
      method: 'POST',
      setupRequest: (req, ctx) => {
        ctx.started = performance.now();
        // A connection's context outlives its sequences: no key of the last one may be used again.
        ctx.invitationId = ctx.submitOtk = undefined;
        ctx.conversation = o.conversations[next++ % o.conversations.length]!;
        return { ...req, path: `/v1/conversations/${ctx.conversation.id}/invitations`, headers: { ...json, ...session }, body: createBody };
      },
      onResponse: (status, body, ctx) => {
        if (status === 201) ctx.invitationId = parseJson<{ id: string }>(body).id;
        else failed('create', status);
      },
    },
    ...visitorSteps<DemoContext>({
      base: '/v1',
      token: (ctx) => ctx.conversation.token,
      envelopes: o.envelopes,
      failed,
      submitted: (body, ctx) => {
        ctx.submissionId = body.submissionId;
        ctx.submittedMs = performance.now() - ctx.started;
      },
    }),
    {
      method: 'POST',
      setupRequest: (req, ctx) => {
        if (ctx.submissionId) {
          pending.push({ submissionId: ctx.submissionId, ms: ctx.submittedMs });
          ctx.submissionId = undefined;
        }
        const entry = takeReady();
        if (!entry) {
          // No event has arrived yet (a connection's first sequence): start the next round trip.
          o.failures.add('retrieve deferred: no event yet');
          return null;
        }
        ctx.retrieving = entry;
        ctx.retrieveStarted = performance.now();
        return {
          ...req,
          path: `/v1/submissions/${entry.submissionId}/retrieve`,
          headers: { ...session, Authorization: otkAuthorization(entry.otk) },
        };
      },
      onResponse: (status, _body, ctx) => {
        if (status === 200) o.onRoundTrip(ctx.retrieving.ms + (performance.now() - ctx.retrieveStarted));
        else failed('retrieve', status);
      },
    },
  ];
}

/** The same four requests against the bare route: same methods, headers and body sizes. */
export function bareSequence(o: SequenceOptions): Step<{ started: number }>[] {
  const json = { 'Content-Type': 'application/json' };
  const session = { [SESSION_HEADER]: o.session.token };
  const createBody = JSON.stringify({ formId: 'card-payment', publicKey: o.publicJwk });
  const envelopesJson = JSON.stringify(o.envelopes).slice(1, -1);
  const otk = otkAuthorization('A'.repeat(43));
  const token = o.conversations[0]?.token ?? 'x';
  const step = (
    name: string,
    headers: Record<string, string>,
    body?: string | (() => string),
    last = false,
  ): Step<{ started: number }> => ({
    method: 'POST',
    setupRequest: (req, ctx) => {
      if (name === 'create') ctx.started = performance.now();
      return {
        ...req,
        path: `/bare/${name}`,
        headers,
        ...(body === undefined ? {} : { body: typeof body === 'function' ? body() : body }),
      };
    },
    onResponse: (status, body, ctx) => {
      JSON.parse(body);
      if (status >= 400) o.failures.add(`${name} ${status}`);
      else if (last) o.onRoundTrip(performance.now() - ctx.started);
    },
  });
  return [
    step('create', { ...json, ...session }, createBody),
    step('view', { [CONVERSATION_HEADER]: token }),
    step('submit', { ...json, Authorization: otk }, () => `{"invitationId":"${crypto.randomUUID()}",${envelopesJson}}`),
    step('retrieve', { ...session, Authorization: otk }, undefined, true),
  ];
}

/** An essential-floor round trip's context: the submit answer carries the retrieve key. */
interface EssentialContext extends VisitorContext {
  started: number;
  retrieve?: Required<SubmitAnswer>;
}

/**
 * The same four requests against the essential-work floor (essential-routes.mjs): same methods,
 * headers and body sizes, each answered with only the round trip's irreducible durable work. The
 * submit answer carries the retrieve key (no event stream), so a round trip is one sequence.
 */
export function essentialSequence(o: SequenceOptions): Step<EssentialContext>[] {
  const json = { 'Content-Type': 'application/json' };
  const session = { [SESSION_HEADER]: o.session.token };
  const createBody = JSON.stringify({ formId: 'card-payment', publicKey: o.publicJwk });
  const token = o.conversations[0]?.token ?? 'x';
  const failed = (step: string, status: number) => o.failures.add(`${step} ${status}`);
  return [
    {
      method: 'POST',
      setupRequest: (req, ctx) => {
        ctx.started = performance.now();
        ctx.invitationId = ctx.submitOtk = ctx.retrieve = undefined;
        return { ...req, path: '/essential/invitations', headers: { ...json, ...session }, body: createBody };
      },
      onResponse: (status, body, ctx) => {
        if (status === 201) ctx.invitationId = parseJson<{ id: string }>(body).id;
        else failed('create', status);
      },
    },
    ...visitorSteps<EssentialContext>({
      base: '/essential',
      token: () => token,
      envelopes: o.envelopes,
      failed,
      submitted: (body, ctx) => {
        // The floor's 201 always carries both (essential-routes.mjs).
        ctx.retrieve = body as Required<SubmitAnswer>;
      },
    }),
    {
      method: 'POST',
      setupRequest: (req, ctx) =>
        ctx.retrieve
          ? {
              ...req,
              path: `/essential/submissions/${ctx.retrieve.submissionId}/retrieve`,
              headers: { ...session, Authorization: otkAuthorization(ctx.retrieve.retrieveOtk) },
            }
          : null,
      onResponse: (status, _body, ctx) => {
        if (status === 200) o.onRoundTrip(performance.now() - ctx.started);
        else failed('retrieve', status);
      },
    },
  ];
}

/**
 * One autocannon run of `requests` against `url` with `connections` for `duration` seconds.
 * @returns the figures of the run, per request (autocannon's) and per round trip (ours).
 */
export async function measure<C>({
  url,
  connections,
  duration,
  makeRequests,
}: {
  url: string;
  connections: number;
  duration: number;
  makeRequests: (hooks: RunHooks) => Step<C>[];
}): Promise<LoadFigures & { connections: number; roundTrips: number }> {
  const roundTrips: number[] = [];
  const completedAt: number[] = [];
  const failures = counter();
  const requests = makeRequests({
    onRoundTrip: (ms) => {
      roundTrips.push(ms);
      completedAt.push(performance.now());
    },
    failures,
  });
  const started = performance.now();
  // autocannon without a callback answers with a promise of its result.
  const result = await autocannon({ url, connections, duration, pipelining: 1, timeout: 10, requests: asAutocannonRequests(requests) });
  const elapsed = result.duration || (performance.now() - started) / 1000;
  return {
    connections,
    seconds: round(elapsed, 2),
    requests: result.requests.total,
    requestsPerSecond: round(result.requests.total / elapsed, 1),
    roundTrips: roundTrips.length,
    roundTripsPerSecond: round(steadyRate(completedAt, started, duration * 1000), 1),
    // autocannon's per-request latency (ms)
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: round(result.latency.mean, 2),
    },
    roundTripMs: summarize(roundTrips),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    failures: failures.counts,
  };
}
