/**
 * What a round trip costs the database on SQLite: the statements it prepares and runs. Preparing a
 * statement costs more CPU than running it, and each new SQL text is a new prepared statement held
 * until it is evicted, so a value must travel as a parameter, never inside the SQL text.
 */
import Database from 'better-sqlite3';
import { DefaultQueryCompiler } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness } from '../test/harness.js';
import { openAndView, openForm, retrieve, seal, sent, viewForm } from '../test/flows.js';
import { onPostgres } from '../test/test-store.js';
import { spyOnStatements } from '../test/statement-spy.js';
import { generateInvitationKeyPair, invitationViewSchema, submitResponseSchema } from '@secure-forms/shared';
import { readEvent } from '../test/harness.js';

type H = Awaited<ReturnType<typeof harness>>;

/** One round trip: send, open, view, submit, retrieve (the agent's stream already open). */
async function roundTrip(h: H, alice: Awaited<ReturnType<H['session']>>, events: Response) {
  await fiveSteps(h, alice, events, await sent(h));
}

/** The round trip's five requests after `sent` (which signs in, starts a conversation and sends the form). */
async function fiveSteps(h: H, alice: Awaited<ReturnType<H['session']>>, events: Response, s: Awaited<ReturnType<typeof sent>>) {
  const opened = await openForm(h, s.visitor, s.invitation.id);
  const view = await viewForm(h, opened.viewOtk);
  const { body } = await seal(view);
  const res = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body });
  expect(res.status).toBe(201);
  const { submissionId } = submitResponseSchema.parse(await res.json());
  const event = await readEvent(events, (e) =>
    (e as { type?: string }).type === 'submission' ? (e as { retrieveOtk: string; submissionId: string }) : undefined,
  );
  expect((await retrieve(h, submissionId, event.retrieveOtk, alice.headers)).status).toBe(200);
}

/** Count the commits from now on: each COMMIT, and each write run outside a transaction. */
function countCommits(): { readonly count: number } {
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<
    'run' | 'all' | 'get',
    (...args: unknown[]) => unknown
  >;
  const counter = { count: 0 };
  for (const method of ['run', 'all', 'get'] as const) {
    const original = statement[method];
    vi.spyOn(statement, method).mockImplementation(function (this: Database.Statement, ...args: unknown[]) {
      const commits =
        /^\s*COMMIT\b/i.test(this.source) || (!this.readonly && !/^\s*BEGIN\b/i.test(this.source) && !this.database.inTransaction);
      if (commits) counter.count++;
      return original.apply(this, args);
    });
  }
  return counter;
}

/** The statements a successful request runs, each by its first three words (its kind and table). */
async function statementHeads(request: () => Response | Promise<Response>): Promise<string[]> {
  const ran = spyOnStatements();
  expect((await request()).status).toBe(200);
  return ran.map((statement) => statement.sql.split(' ').slice(0, 3).join(' '));
}

/**
 * After one round trip (its statements prepared): a sent invitation, and `step`, which runs a
 * request expecting exactly one commit; `submitAndRetrieve` sends a form's sealed answers and
 * retrieves them as the agent, one step each.
 */
async function oneCommitPerStep() {
  const h = await harness();
  const alice = await h.session('alice');
  await roundTrip(h, alice, await h.request('/v1/agent/events', { headers: alice.headers }));
  const s = await sent(h);
  const events = await h.request('/v1/agent/events', { headers: alice.headers });
  const commits = countCommits();
  const step = async <T>(work: () => T | Promise<T>): Promise<T> => {
    const before = commits.count;
    const result = await work();
    expect(commits.count - before).toBe(1);
    return result;
  };
  const submitAndRetrieve = async (view: Parameters<typeof seal>[0] & { submitOtk: string }) => {
    const { body } = await seal(view);
    const res = await step(() => h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body }));
    expect(res.status).toBe(201);
    const { submissionId } = submitResponseSchema.parse(await res.json());
    const event = await readEvent(events, (e) =>
      (e as { type?: string }).type === 'submission' ? (e as { retrieveOtk: string; submissionId: string }) : undefined,
    );
    expect((await step(() => retrieve(h, submissionId, event.retrieveOtk, alice.headers))).status).toBe(200);
  };
  return { h, s, step, submitAndRetrieve };
}

describe.skipIf(onPostgres)('the statements of a round trip (SQLite)', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prepares no new statement the second time: every value is a parameter', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    await roundTrip(h, alice, await h.request('/v1/agent/events', { headers: alice.headers }));
    // Another moment: the deadlines and times differ from the first round trip's.
    h.advance(1000);
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    await roundTrip(h, alice, await h.request('/v1/agent/events', { headers: alice.headers }));
    // The session of `sent` (a sign-in) and the new conversation are the same shapes as the first time.
    expect(prepare.mock.calls.map(([sql]) => sql)).toEqual([]);
  });

  it('compiles no query in open, view, submit and retrieve: their statements are compiled once (prepared.ts)', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    await roundTrip(h, alice, await h.request('/v1/agent/events', { headers: alice.headers }));
    const s = await sent(h);
    const events = await h.request('/v1/agent/events', { headers: alice.headers });
    h.advance(1000);
    const compile = vi.spyOn(DefaultQueryCompiler.prototype, 'compileQuery');
    await fiveSteps(h, alice, events, s);
    expect(compile).not.toHaveBeenCalled();
  });

  it('commits once per request of the round trip: a key is spent in the transaction of what the request writes', async () => {
    const { h, s, step, submitAndRetrieve } = await oneCommitPerStep();
    const opened = await step(() => openForm(h, s.visitor, s.invitation.id));
    await submitAndRetrieve(await step(() => viewForm(h, opened.viewOtk)));
  });

  it("commits once per request of the frame's round trip: the open with its submit key, the submission, the retrieval", async () => {
    const { h, s, step, submitAndRetrieve } = await oneCommitPerStep();
    await submitAndRetrieve(await step(() => openAndView(h, s.visitor, s.invitation.id)));
  });

  it('opens and views in one transaction with no view key: the invitation read with its conversation, then the count, the submit key and the status line', async () => {
    const h = await harness();
    const s = await sent(h);
    const ran = await statementHeads(() =>
      h.request(`/v1/invitations/${s.invitation.id}/view`, { method: 'POST', headers: s.visitor.headers }),
    );
    // No key is read or spent: the only key statement stores the submit key.
    expect(ran).toEqual([
      'select "invitations"."id", "invitations"."site_id",',
      'BEGIN IMMEDIATE',
      'update "invitations" set',
      'insert into "one_time_keys"',
      'insert into "messages"',
      'COMMIT',
    ]);
    expect(await h.all('SELECT action FROM one_time_keys')).toEqual([{ action: 'submit' }]);
  });

  it("compiles no query in the frame's open-and-view: its statements, the history key id's included, are compiled once", async () => {
    const h = await harness();
    const warm = await sent(h);
    await openAndView(h, warm.visitor, warm.invitation.id);
    const s = await sent(h);
    h.advance(1000);
    const compile = vi.spyOn(DefaultQueryCompiler.prototype, 'compileQuery');
    await openAndView(h, s.visitor, s.invitation.id);
    expect(compile).not.toHaveBeenCalled();
  });

  it('trades a submit key for more time in one commit: the key read with its invitation, then one transaction', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const ran = await statementHeads(() => h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(view.submitOtk) }));
    // The read, then one transaction: the key's spend, the invitation's extension and window, the fresh key.
    expect(ran).toEqual([
      'select "one_time_keys"."hash" as',
      'BEGIN IMMEDIATE',
      'update "one_time_keys" set',
      'update "invitations" set',
      'insert into "one_time_keys"',
      'COMMIT',
    ]);
  });

  it('runs no more than 31 statements in the five requests of a round trip, reading an agent session and its operator from memory while they are unchanged, and a key or a submission with its invitation by one statement', async () => {
    const h = await harness();
    const alice = await h.session('alice');
    await roundTrip(h, alice, await h.request('/v1/agent/events', { headers: alice.headers }));
    const events = await h.request('/v1/agent/events', { headers: alice.headers });
    const visitor = await h.startConversation();
    expect((await h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: alice.headers })).status).toBe(200);
    const keys = await generateInvitationKeyPair();
    h.advance(1000);
    const ran = spyOnStatements();
    const res = await h.request(`/v1/conversations/${visitor.id}/invitations`, {
      headers: alice.headers,
      body: { formId: 'card-payment', publicKey: keys.publicJwk },
    });
    expect(res.status).toBe(201);
    const invitation = invitationViewSchema.parse(await res.json());
    await fiveSteps(h, alice, events, { alice, visitor, keys, invitation });
    expect(ran.length, ran.map((statement) => statement.sql).join('\n')).toBeLessThanOrEqual(31);
  });
});
