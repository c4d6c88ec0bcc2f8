/**
 * The backend round trip as the load sends it (load.ts, visitor-steps.ts): its requests in order,
 * against the demo, the bare route and the essential-work floor, each step fed the answer the
 * server would give. No server: what each request carries, and what it takes from the answer before.
 */
import type { Request } from 'autocannon';
import { describe, expect, it } from 'vitest';
import { CONVERSATION_HEADER, SESSION_HEADER } from './api.ts';
import { STEPS, type SequenceOptions, bareSequence, demoSequence, essentialSequence } from './load.ts';
import type { Step } from './visitor-steps.ts';

const INVITATION = '0b7e3c52-4a5d-4f7e-9d0c-2f1e8a6b9c41';
const SUBMIT_KEY = 'S'.repeat(43);
const RETRIEVE_KEY = 'R'.repeat(43);
const TOKEN = 'visitor-token';

/** What a sequence needs from the agent side, with hooks that record what the run counts. */
function options() {
  const roundTrips: number[] = [];
  const failures: string[] = [];
  const o: SequenceOptions = {
    session: { token: 'agent-session' },
    conversations: [{ id: 'c1', token: TOKEN }],
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
    envelopes: { onTheRecord: null, offTheRecord: null, fieldIds: { onTheRecord: [], offTheRecord: ['cvv'] }, hints: {} },
    onRoundTrip: (ms) => roundTrips.push(ms),
    failures: { counts: {}, add: (key) => failures.push(key) },
  };
  return { o, roundTrips, failures };
}

/** Each step's request on one context, each answered with `answers[i]` (status, body); null where a step sent nothing. */
function drive<C>(steps: Step<C>[], answers: [number, string][]): (Request | null)[] {
  const ctx = {} as C;
  return steps.map((step, i) => {
    const req = step.setupRequest({ method: 'POST', path: '/' }, ctx);
    if (req) step.onResponse(answers[i]![0], answers[i]![1], ctx);
    return req;
  });
}

/** What the demo and the floor answer, request for request. */
const answers = (submitted: object): [number, string][] => [
  [201, JSON.stringify({ id: INVITATION })],
  [200, JSON.stringify({ invitationId: INVITATION, submitOtk: SUBMIT_KEY, opensLeft: 2 })],
  [201, JSON.stringify(submitted)],
  [200, '{}'],
];

describe('a backend round trip', () => {
  it('is four requests: create, open the form, submit, retrieve', () => {
    expect(STEPS).toEqual(['create', 'view', 'submit', 'retrieve']);
    const { o } = options();
    expect(demoSequence({ ...o, retrieveOtks: new Map() })).toHaveLength(STEPS.length);
    expect(bareSequence(o)).toHaveLength(STEPS.length);
    expect(essentialSequence(o)).toHaveLength(STEPS.length);
  });

  it("opens the demo's form with the conversation token in its header and no body, submits with that answer's key, and retrieves with the event's", () => {
    const { o, roundTrips, failures } = options();
    const retrieveOtks = new Map([['s1', RETRIEVE_KEY]]);
    const [create, view, submit, retrieve] = drive(demoSequence({ ...o, retrieveOtks }), answers({ submissionId: 's1' }));
    expect(create).toMatchObject({ path: '/v1/conversations/c1/invitations', headers: { [SESSION_HEADER]: 'agent-session' } });
    expect(view!.path).toBe(`/v1/invitations/${INVITATION}/view?locale=en`);
    expect(view!.headers).toEqual({ [CONVERSATION_HEADER]: TOKEN });
    expect(view!.body).toBeUndefined();
    expect(submit).toMatchObject({ path: '/v1/submissions', headers: { Authorization: `OTK ${SUBMIT_KEY}` } });
    expect(JSON.parse(String(submit!.body))).toMatchObject({ invitationId: INVITATION });
    expect(retrieve).toMatchObject({
      path: '/v1/submissions/s1/retrieve',
      headers: { [SESSION_HEADER]: 'agent-session', Authorization: `OTK ${RETRIEVE_KEY}` },
    });
    expect(retrieveOtks.size).toBe(0);
    expect(roundTrips).toHaveLength(1);
    expect(failures).toEqual([]);
  });

  it("starts a connection's next demo round trip without the keys of the one before", () => {
    const { o, failures } = options();
    const steps = demoSequence({ ...o, retrieveOtks: new Map() });
    const ctx = {} as Parameters<(typeof steps)[number]['setupRequest']>[1];
    const run = (i: number, status: number, body: string) => {
      const req = steps[i]!.setupRequest({ method: 'POST', path: '/' }, ctx);
      if (req) steps[i]!.onResponse(status, body, ctx);
      return req;
    };
    run(0, 201, JSON.stringify({ id: INVITATION }));
    run(1, 200, JSON.stringify({ submitOtk: SUBMIT_KEY }));
    // The next round trip: its open refused, so its submit would have only the last one's spent key.
    run(0, 201, JSON.stringify({ id: 'another' }));
    run(1, 409, JSON.stringify({ error: { code: 'OPEN_LIMIT_REACHED' } }));
    expect(run(2, 201, '{}')).toBeNull();
    expect(failures).toEqual(['view 409']);
  });

  it("sends the bare route the demo's methods, headers and body sizes, request for request", () => {
    const { o, roundTrips } = options();
    const demo = drive(demoSequence({ ...o, retrieveOtks: new Map([['s1', RETRIEVE_KEY]]) }), answers({ submissionId: 's1' }));
    const bare = drive(bareSequence(o), [
      [201, '{}'],
      [200, '{}'],
      [201, '{}'],
      [200, '{}'],
    ]);
    expect(bare.map((req) => req!.path)).toEqual(STEPS.map((step) => `/bare/${step}`));
    const shape = (req: Request | null) => ({
      method: req!.method,
      headers: Object.keys(req!.headers ?? {}),
      body: req!.body === undefined ? undefined : String(req!.body).length,
    });
    expect(bare.map(shape)).toEqual(demo.map(shape));
    expect(roundTrips).toHaveLength(2);
  });

  it("takes the essential floor's retrieve key from its submit answer, on the floor's routes", () => {
    const { o, roundTrips, failures } = options();
    const requests = drive(essentialSequence(o), answers({ submissionId: 's1', retrieveOtk: RETRIEVE_KEY }));
    expect(requests.map((req) => req!.path)).toEqual([
      '/essential/invitations',
      `/essential/invitations/${INVITATION}/view?locale=en`,
      '/essential/submissions',
      '/essential/submissions/s1/retrieve',
    ]);
    expect(requests[1]!.headers).toEqual({ [CONVERSATION_HEADER]: TOKEN });
    expect(requests[1]!.body).toBeUndefined();
    expect(requests[2]!.headers).toMatchObject({ Authorization: `OTK ${SUBMIT_KEY}` });
    expect(requests[3]!.headers).toMatchObject({ Authorization: `OTK ${RETRIEVE_KEY}` });
    expect(roundTrips).toHaveLength(1);
    expect(failures).toEqual([]);
  });
});
