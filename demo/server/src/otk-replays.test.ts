/**
 * Replays of a spent one-time key cost reads, never a write: the route reads the key, sees it
 * spent and refuses OTK_USED before any transaction. A write would take the database's write lock
 * (SQLite) or wait for the row's lock (PostgreSQL) for nothing, so a burst of replays would queue
 * behind real work. Past the OTK guard's slots per address, the guard's own lookup comes first,
 * and the route still reads the key itself: a lookup made before a concurrent spend would send the
 * replay on to a write (otk-guard/index.ts says why), so both reads are counted here.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { harness } from './test/harness.js';
import { code, retrieve, submitted } from './test/flows.js';
import { spyOnStatements } from './test/statement-spy.js';

/** Concurrent replays of each key. */
const REPLAYS = 8;

describe(`${REPLAYS} concurrent replays of each spent one-time key (view, submit, extend, retrieve)`, () => {
  afterEach(() => vi.restoreAllMocks());

  for (const [where, maxPendingPerAddress] of [
    ['while the guard has a free slot for each', 4 * REPLAYS],
    ['past the guard’s slots per address (every key looked up by the guard first)', 0],
  ] as const) {
    it(`are refused OTK_USED without a write or a transaction, ${where}`, async () => {
      const h = await harness({ edge: { otkGuard: { maxPendingPerAddress }, otkGuardSleep: () => Promise.resolve() } });
      const t = await submitted(h);
      expect((await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)).status).toBe(200);

      const ran = spyOnStatements();
      const replays = await Promise.all([
        ...Array.from({ length: REPLAYS }, async () => h.request('/v1/forms/view', { method: 'POST', headers: h.otk(t.opened.viewOtk) })),
        ...Array.from({ length: REPLAYS }, async () => h.request('/v1/submissions', { headers: h.otk(t.submitOtk), body: t.body })),
        // The submit key was spent by the submission: traded for more time, it is refused the same way.
        ...Array.from({ length: REPLAYS }, async () =>
          h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(t.submitOtk) }),
        ),
        ...Array.from({ length: REPLAYS }, async () => retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers)),
      ]);
      vi.restoreAllMocks();

      expect(replays.map((r) => r.status)).toEqual(Array(4 * REPLAYS).fill(410));
      expect(new Set(await Promise.all(replays.map(code)))).toEqual(new Set(['OTK_USED']));
      const keyReads = ran.filter((s) => /(from|join) "one_time_keys"/i.test(s.sql)).length;
      // Each replay read its key (alone, or joined to what it is for; the guard's lookup too when past its slots): the spy saw them all.
      expect(keyReads).toBe((maxPendingPerAddress === 0 ? 2 : 1) * 4 * REPLAYS);
      expect(ran.filter((s) => s.writes).map((s) => s.sql)).toEqual([]);
      // What is held is the statements, not the time: the set-up signs agents in (scrypt) and
      // stores a submission, which passed 5 s once on PostgreSQL on a loaded 2-core machine.
    }, 20_000);
  }
});
