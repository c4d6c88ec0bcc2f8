/**
 * Every conditional write holds under concurrent requests: opens counted up to the limit (by
 * either open route), one agent wins an assignment, one submit key per view key, one submission
 * per submit key, extensions up to the maximum, a TOTP step accepted once. Meant for PostgreSQL
 * (SECURE_FORMS_TEST_DATABASE_URL set: several pooled connections, READ COMMITTED), where the
 * requests really do run at once; on SQLite they pass through one connection in turn and the
 * tests hold as well.
 */
import { openFormResponseSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { harness } from './test/harness.js';
import { code, openForm, seal, sent, viewForm } from './test/flows.js';
import { submitBinding } from './domain/otk.js';

const N = 50;
const times = <T>(n: number, make: (i: number) => T | Promise<T>) => Promise.all(Array.from({ length: n }, async (_, i) => make(i)));

// 50 requests at once take seconds on a loaded machine: more than the default 5 s timeout allows.
describe(`${N} concurrent requests`, { timeout: 60_000 }, () => {
  it('count opens up to the limit exactly, with one view key per counted open', async () => {
    const h = await harness();
    const s = await sent(h);
    const { open_limit: limit } = (await h.get('SELECT open_limit FROM invitations WHERE id = ?', s.invitation.id)) as {
      open_limit: number;
    };
    const answers = await times(N, () =>
      h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers }),
    );
    expect(answers.filter((r) => r.status === 200)).toHaveLength(limit);
    const refused = await Promise.all(answers.filter((r) => r.status !== 200).map(code));
    expect(new Set(refused)).toEqual(new Set(['OPEN_LIMIT_REACHED']));
    expect(await h.get('SELECT opens FROM invitations WHERE id = ?', s.invitation.id)).toEqual({ opens: limit });
    expect(await h.get("SELECT COUNT(*) AS n FROM one_time_keys WHERE action = 'view'")).toEqual({ n: limit });
  });

  it("count the frame's opens up to the limit exactly, with one distinct submit key per counted open and no view key", async () => {
    const h = await harness();
    const s = await sent(h);
    expect(s.invitation.openLimit).toBe(3);
    const answers = await times(N, () =>
      h.request(`/v1/invitations/${s.invitation.id}/view`, { method: 'POST', headers: s.visitor.headers }),
    );
    const opened = await Promise.all(
      answers.filter((r) => r.status === 200).map(async (r) => openFormResponseSchema.parse(await r.json())),
    );
    expect(opened.map((o) => o.opensLeft).sort()).toEqual([0, 1, 2]);
    expect(new Set(opened.map((o) => o.submitOtk)).size).toBe(3);
    const refused = await Promise.all(answers.filter((r) => r.status !== 200).map(code));
    expect(refused).toHaveLength(N - 3);
    expect(new Set(refused)).toEqual(new Set(['OPEN_LIMIT_REACHED']));
    expect(await h.get('SELECT opens FROM invitations WHERE id = ?', s.invitation.id)).toEqual({ opens: 3 });
    expect(await h.all('SELECT action, COUNT(*) AS n FROM one_time_keys GROUP BY action')).toEqual([{ action: 'submit', n: 3 }]);
    // Each key handed out was stored: each one works.
    for (const { submitOtk } of opened) {
      expect((await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(submitOtk) })).status).toBe(200);
    }
  });

  it('assign a waiting conversation to one agent only', async () => {
    const h = await harness();
    const [alice, bob] = [await h.session('alice'), await h.session('bob')];
    const visitor = await h.startConversation();
    const agents = [alice, bob];
    const answers = await times(N, (i) =>
      h.request(`/v1/conversations/${visitor.id}/assign`, { method: 'POST', headers: agents[i % 2]!.headers }),
    );
    const winners = new Set(answers.flatMap((r, i) => (r.status === 200 ? [agents[i % 2]!.operatorId] : [])));
    expect(winners.size).toBe(1);
    const [winner] = [...winners];
    expect(await h.get('SELECT state, assigned_agent_id FROM conversations WHERE id = ?', visitor.id)).toEqual({
      state: 'active',
      assigned_agent_id: winner,
    });
  });

  it('issue one submit key for one view key', async () => {
    const h = await harness();
    const s = await sent(h);
    const { viewOtk } = await openForm(h, s.visitor, s.invitation.id);
    const answers = await times(N, () => h.request('/v1/forms/view', { method: 'POST', headers: h.otk(viewOtk) }));
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    const refused = await Promise.all(answers.filter((r) => r.status !== 200).map(code));
    expect(new Set(refused)).toEqual(new Set(['OTK_USED']));
    expect(await h.get("SELECT COUNT(*) AS n FROM one_time_keys WHERE action = 'submit'")).toEqual({ n: 1 });
  });

  it('store one submission for one submit key', async () => {
    const h = await harness();
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const answers = await times(N, () => h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body }));
    expect(answers.filter((r) => r.status === 201)).toHaveLength(1);
    const refused = await Promise.all(answers.filter((r) => r.status !== 201).map(code));
    // The key spent, or (a request that read the key before the winner committed and the
    // invitation after) the invitation already answered: either way nothing more is stored.
    expect(refused.filter((c) => c !== 'OTK_USED' && c !== 'ALREADY_SUBMITTED')).toEqual([]);
    expect(await h.get('SELECT COUNT(*) AS n FROM submissions')).toEqual({ n: 1 });
  });

  it('use extensions up to the maximum exactly, and accept one TOTP step once', async () => {
    const h = await harness();
    const s = await sent(h);
    const store = h.app.store;
    const { otks } = h.app.services.rt;
    const binding = submitBinding({ ...s.invitation, siteId: 'demo', conversationId: s.visitor.id });
    // N submit keys, each traded at once for a fresh one (extendInvitation: the key spent, an extension used, the fresh key stored).
    const held = await times(N, async () => {
      const key = otks.make(binding, 60);
      await store.insertOtk(key.row);
      return key.row.hash;
    });
    const used = await times(N, (i) =>
      store.extendInvitation(s.invitation.id, 10, h.now(), otks.make(binding, 60).row, {
        hash: held[i]!,
        now: h.now(),
      }),
    );
    expect(used.filter((u) => u === 'extended')).toHaveLength(10);
    expect(used.filter((u) => u === 'no-extension')).toHaveLength(N - 10);
    expect(await h.get('SELECT extensions_used FROM invitations WHERE id = ?', s.invitation.id)).toEqual({ extensions_used: 10 });
    // Every key presented was spent; only the ten extensions stored a fresh one.
    expect(await h.get("SELECT COUNT(*) AS n FROM one_time_keys WHERE action = 'submit' AND used_at IS NULL")).toEqual({ n: 10 });
    const accepted = await times(N, () => store.acceptTotpStep(s.alice.operatorId, 123_456));
    expect(accepted.filter(Boolean)).toHaveLength(1);
  });
});
