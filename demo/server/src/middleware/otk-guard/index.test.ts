import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { code, openForm, retrieve, seal, sent, submitted, viewForm } from '../../test/flows.js';
import { harness } from '../../test/harness.js';
import { spyOnStatements, type SpiedStatement } from '../../test/statement-spy.js';
import type { WindowCounters } from '../../ephemeral/types.js';
import { DEFAULT_OTK_GUARD_POLICY, refusalDelayMs } from './index.js';

const guess = () => `OTK ${randomBytes(32).toString('base64url')}`;
/** Short real delays, so that a test can measure them. */
const fast = { freeRefusals: 10, baseDelayMs: 40, maxDelayMs: 160, maxPendingPerAddress: 4, maxPending: 64 };

describe('one-time key guessing', () => {
  it('answers the first refusals at once, then each after a delay that doubles up to a ceiling', async () => {
    expect([10, 11, 12, 13, 14, 15, 16, 40].map((n) => refusalDelayMs(DEFAULT_OTK_GUARD_POLICY, n))).toEqual([
      0, 250, 500, 1000, 2000, 4000, 8000, 8000,
    ]);
    // The delays the guard asks for are recorded (and waited for in real time, so requests overlap as they would).
    const delays: number[] = [];
    const sleep = (ms: number) => {
      delays.push(ms);
      return new Promise<void>((resolve) => setTimeout(resolve, ms));
    };
    const h = await harness({ edge: { otkGuard: fast, otkGuardSleep: sleep } });
    const view = () => h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' });
    for (let i = 0; i < 10; i++) expect(await code(await view())).toBe('OTK_INVALID');
    expect(delays).toEqual([]);
    for (let i = 0; i < 4; i++) expect(await code(await view())).toBe('OTK_INVALID');
    expect(delays).toEqual([40, 80, 160, 160]);

    // The window ends: the address starts again without delay.
    h.advance(61_000);
    expect(await code(await view())).toBe('OTK_INVALID');
    expect(delays).toHaveLength(4);
  });

  it('accepts a valid key presented from the address that is guessing, while its guesses are held', async () => {
    const h = await harness({ edge: { otkGuard: { ...fast, freeRefusals: 0, baseDelayMs: 300, maxDelayMs: 300 } } });
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const guesses = Array.from({ length: 50 }, async () =>
      h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' }),
    );
    // Sent while the 50 guesses are in flight, from the same address.
    const valid = h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk), address: '10.0.0.66' });
    const [answers, answer] = await Promise.all([Promise.all(guesses), valid]);
    expect(answer.status).toBe(200);
    const retryAfter = answers.filter((a) => a.status === 429).map((a) => Number(a.headers.get('Retry-After')));
    const codes = await Promise.all(answers.map(code));
    const tally = (c: string) => codes.filter((x) => x === c).length;
    expect(tally('OTK_INVALID') + tally('RATE_LIMITED')).toBe(50);
    // Concurrent guesses past the per-address bound are refused at once, not held in memory.
    expect(tally('OTK_INVALID')).toBeLessThanOrEqual(8);
    expect(tally('RATE_LIMITED')).toBeGreaterThanOrEqual(42);
    expect(retryAfter.every((seconds) => seconds > 0)).toBe(true);
  });

  it('does not slow or refuse other clients, nor a valid retrieve and submit while the guessing goes on', async () => {
    // Slowed guesses are held until the test releases them: a valid request that were slowed too
    // would never finish, and the test would time out.
    const delays: number[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    const sleep = (ms: number) => {
      delays.push(ms);
      return held;
    };
    const h = await harness({
      edge: { otkGuard: { ...fast, freeRefusals: 0, baseDelayMs: 1000, maxDelayMs: 1000 }, otkGuardSleep: sleep },
    });
    const s = await submitted(h);
    const other = await sent(h);
    const view = await viewForm(h, (await openForm(h, other.visitor, other.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const guessing = Promise.all(
      Array.from({ length: 20 }, async () =>
        h.request('/v1/submissions/extend', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' }),
      ),
    );
    const retrieve = h.request(`/v1/submissions/${s.submissionId}/retrieve`, {
      method: 'POST',
      headers: { ...h.otk(s.retrieveOtk), ...s.alice.headers },
      address: '10.0.0.66',
    });
    const submit = h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body, address: '10.0.0.77' });
    const [r, sub] = await Promise.all([retrieve, submit]);
    expect(r.status).toBe(200);
    expect(sub.status).toBe(201);
    expect(delays.length).toBeGreaterThan(0);
    expect(delays.every((ms) => ms === 1000)).toBe(true);
    release();
    await guessing;
  });

  it('slows guesses at one resource from many addresses, but not the valid key for it', async () => {
    const delays: number[] = [];
    const sleep = (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    };
    const h = await harness({ edge: { otkGuard: { ...fast, freeRefusals: 10, baseDelayMs: 200, maxDelayMs: 200 }, otkGuardSleep: sleep } });
    const s = await submitted(h);
    const junk = (address: string) =>
      h.request(`/v1/submissions/${s.submissionId}/retrieve`, {
        method: 'POST',
        headers: { Authorization: guess(), ...s.alice.headers },
        address,
      });
    // Ten addresses, one guess each: under every per-address allowance, but ten against one submission.
    for (let i = 1; i <= 10; i++) expect(await code(await junk(`10.1.0.${i}`))).toBe('OTK_INVALID');
    expect(delays).toEqual([]);
    expect(await code(await junk('10.1.0.11'))).toBe('OTK_INVALID');
    expect(delays).toEqual([200]);
    const valid = await h.request(`/v1/submissions/${s.submissionId}/retrieve`, {
      method: 'POST',
      headers: { ...h.otk(s.retrieveOtk), ...s.alice.headers },
      address: '10.1.0.12',
    });
    expect(valid.status).toBe(200);
    expect(delays).toEqual([200]);
  });

  it('refuses a never-issued key at once when the bound is full, and answers issued keys exactly', async () => {
    const h = await harness({
      edge: { otkGuard: { ...fast, freeRefusals: 0, baseDelayMs: 300, maxDelayMs: 300, maxPendingPerAddress: 1 } },
    });
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const view = await viewForm(h, opened.viewOtk);
    // The view key is spent now; the address holds one delayed guess.
    const held = h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' });
    await new Promise((r) => setTimeout(r, 20));
    const another = await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.66' });
    expect(another.status).toBe(429);
    expect(await code(another)).toBe('RATE_LIMITED');
    // A spent key was issued: its holder gets the exact answer, at once.
    const spent = await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk), address: '10.0.0.66' });
    expect(await code(spent)).toBe('OTK_USED');
    // The unspent submit key from the same address while the bound is full: accepted.
    const { body } = await seal(view);
    const submit = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body, address: '10.0.0.66' });
    expect(submit.status).toBe(201);
    await held;
  });

  it('answers replays of an issued key (OTK_USED, OTK_EXPIRED) at once, and does not count them against the address or the resource', async () => {
    const delays: number[] = [];
    const sleep = (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    };
    const h = await harness({ edge: { otkGuard: { ...fast, freeRefusals: 2, baseDelayMs: 100, maxDelayMs: 800 }, otkGuardSleep: sleep } });
    const t = await submitted(h);
    const address = '10.0.0.50';
    expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);
    // Twenty replays of each spent key from one address (a call centre's agents and visitors).
    for (let i = 0; i < 20; i++) {
      expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(t.opened.viewOtk), address }))).toBe('OTK_USED');
      expect(await code(await h.request('/v1/submissions', { headers: h.otk(t.submitOtk), body: t.body, address }))).toBe('OTK_USED');
      const again = await h.request(`/v1/submissions/${t.submissionId}/retrieve`, {
        method: 'POST',
        headers: { ...h.otk(t.retrieveOtk), ...t.alice.headers },
        address,
      });
      expect(await code(again)).toBe('OTK_USED');
    }
    expect(delays).toEqual([]);
    // Guesses from the same address still start from their own free allowance, then meet the delay.
    for (let i = 0; i < 2; i++)
      expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address }))).toBe(
        'OTK_INVALID',
      );
    expect(delays).toEqual([]);
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address }))).toBe(
      'OTK_INVALID',
    );
    expect(delays).toEqual([100]);
    // Past the free refusals, a replay of a spent key is still answered at once, and counts nothing.
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(t.opened.viewOtk), address }))).toBe('OTK_USED');
    expect(delays).toEqual([100]);
    // The retrieve key's replays were not counted against its submission either: one guess at it is free.
    const junk = await h.request(`/v1/submissions/${t.submissionId}/retrieve`, {
      method: 'POST',
      headers: { Authorization: guess(), ...t.alice.headers },
      address: '10.0.0.51',
    });
    expect(await code(junk)).toBe('OTK_INVALID');
    expect(delays).toEqual([100]);
  });

  it('answers an expired key at once, uncounted', async () => {
    const delays: number[] = [];
    const sleep = (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    };
    const h = await harness({ edge: { otkGuard: { ...fast, freeRefusals: 0 }, otkGuardSleep: sleep } });
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    // Past the view key's 60 s, inside the guard's window.
    h.advance(61_000);
    const address = '10.0.0.52';
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk), address }))).toBe('OTK_EXPIRED');
    // The expired key was spent by that attempt: its replays say so.
    for (let i = 0; i < 5; i++)
      expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(opened.viewOtk), address }))).toBe('OTK_USED');
    expect(delays).toEqual([]);
    expect(await code(await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address }))).toBe(
      'OTK_INVALID',
    );
    expect(delays).toEqual([fast.baseDelayMs]);
  });

  it('counts a real key used for another action or another resource, as it counts a guess', async () => {
    const delays: number[] = [];
    const sleep = (ms: number) => {
      delays.push(ms);
      return Promise.resolve();
    };
    const h = await harness({ edge: { otkGuard: { ...fast, freeRefusals: 0 }, otkGuardSleep: sleep } });
    const address = '10.0.0.53';
    // A view key presented to extend: another action.
    const s = await sent(h);
    const opened = await openForm(h, s.visitor, s.invitation.id);
    const extend = await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(opened.viewOtk), address });
    expect(await code(extend)).toBe('OTK_WRONG_ACTION');
    expect(delays).toEqual([fast.baseDelayMs]);
    // A submit key presented for another invitation: another resource.
    const t = await sent(h);
    const view = await viewForm(h, (await openForm(h, t.visitor, t.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const wrong = await h.request('/v1/submissions', {
      headers: h.otk(view.submitOtk),
      body: { ...body, invitationId: s.invitation.id },
      address,
    });
    expect(await code(wrong)).toBe('OTK_WRONG_BINDING');
    expect(delays).toEqual([fast.baseDelayMs, 2 * fast.baseDelayMs]);
  });

  it('counts refused keys only, not requests without one or keys that work', async () => {
    const h = await harness();
    for (let i = 0; i < 40; i++) await h.request('/v1/forms/view', { method: 'POST', address: '10.0.0.9' });
    const s = await submitted(h);
    expect(s.submissionId).toBeTruthy();
  });
});

/** Statements that read one-time keys (alone, or joined to what they are for). */
const keyReads = (ran: SpiedStatement[]) => ran.filter((s) => /(from|join) "one_time_keys"/i.test(s.sql)).length;

describe('replays of one issued key', () => {
  afterEach(() => vi.restoreAllMocks());

  it('answers a spent key’s replays up to its budget, then refuses it with 429 and Retry-After before reading the store', async () => {
    const h = await harness({ edge: { otkGuard: { replaysPerKey: 3 } } });
    const t = await submitted(h);
    const address = '10.0.0.60';
    const replay = () => h.request('/v1/forms/view', { method: 'POST', headers: h.otk(t.opened.viewOtk), address });
    for (let i = 0; i < 3; i++) expect(await code(await replay())).toBe('OTK_USED');

    h.advance(15_000);
    const ran = spyOnStatements();
    const refused = await replay();
    vi.restoreAllMocks();
    expect(refused.status).toBe(429);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(Object.keys(body)).toEqual(['error']);
    expect(body.error.code).toBe('RATE_LIMITED');
    expect(body.error.message).toMatch(/new (one-time )?key/i);
    // The window opened with the first replay, 15 s ago: 45 s are left.
    expect(refused.headers.get('Retry-After')).toBe('45');
    expect(ran).toEqual([]);

    // Another spent key from the same address has its own budget; a key that works is answered at once.
    expect(await code(await h.request('/v1/submissions', { headers: h.otk(t.submitOtk), body: t.body, address }))).toBe('OTK_USED');
    expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);
    const fresh = await sent(h);
    expect(
      (
        await h.request('/v1/forms/view', {
          method: 'POST',
          headers: h.otk((await openForm(h, fresh.visitor, fresh.invitation.id)).viewOtk),
          address,
        })
      ).status,
    ).toBe(200);

    // The window ends: the key is answered exactly again.
    h.advance(46_000);
    expect(await code(await replay())).toBe('OTK_USED');
  });

  it('lets at most the budget of 200 concurrent replays of one spent key reach the store; a valid key and another spent key from the same address are answered as before', async () => {
    const h = await harness();
    const budget = DEFAULT_OTK_GUARD_POLICY.replaysPerKey;
    const t = await submitted(h);
    const address = '10.0.0.61';
    const ran = spyOnStatements();
    const answers = await Promise.all(
      Array.from({ length: 200 }, async () => h.request('/v1/forms/view', { method: 'POST', headers: h.otk(t.opened.viewOtk), address })),
    );
    vi.restoreAllMocks();
    const codes = await Promise.all(answers.map(code));
    expect(codes.filter((c) => c === 'OTK_USED')).toHaveLength(budget);
    expect(codes.filter((c) => c === 'RATE_LIMITED')).toHaveLength(200 - budget);
    expect(answers.filter((a) => a.status === 429).every((a) => Number(a.headers.get('Retry-After')) > 0)).toBe(true);
    // Each replay that reached the store read its key at most twice (the guard's lookup past its slots, the route's read).
    expect(keyReads(ran)).toBeLessThanOrEqual(2 * budget);
    expect(ran.filter((s) => s.writes)).toEqual([]);

    const [valid, other] = await Promise.all([
      retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers),
      Promise.all(
        Array.from({ length: budget }, async () => h.request('/v1/submissions', { headers: h.otk(t.submitOtk), body: t.body, address })),
      ),
    ]);
    expect(valid.status).toBe(200);
    expect(new Set(await Promise.all(other.map(code)))).toEqual(new Set(['OTK_USED']));
  });

  it('budgets an agent’s replays of a spent retrieve key too, and audits the refused ones without the key', async () => {
    const h = await harness({ edge: { otkGuard: { replaysPerKey: 2 } } });
    const t = await submitted(h);
    expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);
    const before = h.audit.entries.length;
    const answers: string[] = [];
    for (let i = 0; i < 30; i++) answers.push(await code(await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)));
    expect(answers.slice(0, 2)).toEqual(['OTK_USED', 'OTK_USED']);
    expect(new Set(answers.slice(2))).toEqual(new Set(['RATE_LIMITED']));
    // A fresh retrieve key for the same submission (the panel's "Retrieve again") is not held back by the spent one.
    const again = await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: t.alice.headers });
    const { retrieveOtk } = (await again.json()) as { retrieveOtk: string };
    expect((await retrieve(h, t.submissionId, retrieveOtk, t.alice.headers)).status).toBe(200);

    // The next line written after the window ends brings the count of the ones held back.
    h.advance(61_000);
    await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guess() }, address: '10.0.0.62' });
    const lines = h.audit.entries.slice(before);
    const limited = lines.filter((e) => e.reason === 'RATE_LIMITED');
    // The refused replays are not one line each: a few in full, then one line with the count.
    expect(limited.length).toBeLessThan(10);
    expect(limited.reduce((n, e) => n + (e.repeated ?? 1), 0)).toBe(28);
    const dump = JSON.stringify(lines);
    for (const key of [t.retrieveOtk, retrieveOtk]) {
      expect(dump).not.toContain(key);
      expect(dump).not.toContain(createHash('sha256').update(key).digest('hex'));
    }
  });

  it('never counts a never-issued key as a replay: however often it is sent, it is answered as a guess', async () => {
    const h = await harness({ edge: { otkGuard: { replaysPerKey: 2, freeRefusals: 100 } } });
    const guessed = guess();
    for (let i = 0; i < 8; i++) {
      const answer = await h.request('/v1/forms/view', { method: 'POST', headers: { Authorization: guessed }, address: '10.0.0.63' });
      expect(await code(answer)).toBe('OTK_INVALID');
    }
  });

  it('keeps the answer of a key that worked when its replay counter cannot be written (a full Redis)', async () => {
    const h = await harness();
    const s = await sent(h);
    const { viewOtk } = await openForm(h, s.visitor, s.invitation.id);
    const counters = Object.getPrototypeOf(h.app.services.rt.ephemeral.windows('otk-replays')) as WindowCounters;
    vi.spyOn(counters, 'hit').mockRejectedValue(new Error('OOM command not allowed when used memory > maxmemory'));
    // The key is spent and a submit key issued: the visitor must get it.
    const view = await h.request('/v1/forms/view', { method: 'POST', headers: h.otk(viewOtk) });
    expect(view.status).toBe(200);
  });

  it('does not count a request that left the key usable: a key refused for its body still works after many tries', async () => {
    const h = await harness({ edge: { otkGuard: { replaysPerKey: 2 } } });
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    for (let i = 0; i < 6; i++) {
      const refused = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body: { ...body, invitationId: 42 } });
      expect(await code(refused)).toBe('VALIDATION_FAILED');
    }
    expect((await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body })).status).toBe(201);
  });
});
