/**
 * One-time keys are checked in one place: a key is redeemed for an action, the resource it names
 * is loaded, and that resource must belong to the key's site and subject, on every route that
 * takes a key for an invitation (view, extend, submit).
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../crypto/tokens.js';
import { code, openForm, seal, sent, viewForm } from '../test/flows.js';
import { harness } from '../test/harness.js';

/** A visitor with the form in front of them; `rebind` moves the submit key to another site or subject. */
async function viewing() {
  const h = await harness();
  const s = await sent(h);
  const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
  const rebind = async (column: 'site_id' | 'subject', value: string) => {
    const moved = await h.all(`UPDATE one_time_keys SET ${column} = ? WHERE action = 'submit' RETURNING hash`, value);
    expect(moved).toHaveLength(1);
  };
  const used = async () =>
    ((await h.get("SELECT used_at FROM one_time_keys WHERE action = 'submit'")) as { used_at: number | null }).used_at;
  return { h, s, view, rebind, used };
}

describe('one-time keys bound to an invitation', () => {
  it('stores a submit key under its hash, bound to the invitation, its site and its conversation', async () => {
    const { h, s, view } = await viewing();
    expect(await h.get('SELECT action, site_id, resource_id, subject FROM one_time_keys WHERE hash = ?', sha256(view.submitOtk))).toEqual({
      action: 'submit',
      site_id: 'demo',
      resource_id: s.invitation.id,
      subject: s.visitor.id,
    });
  });

  for (const column of ['site_id', 'subject'] as const) {
    it(`refuses, and spends, a submit key whose ${column} is not the invitation's, when extending`, async () => {
      const { h, view, rebind, used } = await viewing();
      await rebind(column, 'someone-else');
      const res = await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(view.submitOtk) });
      expect(res.status).toBe(403);
      expect(await code(res)).toBe('OTK_WRONG_BINDING');
      expect(await used()).not.toBeNull();
    });

    it(`refuses, and spends, a submit key whose ${column} is not the invitation's, when submitting`, async () => {
      const { h, view, rebind, used } = await viewing();
      await rebind(column, 'someone-else');
      const res = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body: (await seal(view)).body });
      expect(res.status).toBe(403);
      expect(await code(res)).toBe('OTK_WRONG_BINDING');
      expect(await used()).not.toBeNull();
      expect(await h.all('SELECT id FROM submissions')).toHaveLength(0);
    });
  }

  it('gives a fresh submit key on extending, stored with the window it opens', async () => {
    const { h, s, view } = await viewing();
    const res = await h.request('/v1/submissions/extend', { method: 'POST', headers: h.otk(view.submitOtk) });
    expect(res.status).toBe(200);
    const { submitOtk, submitDeadline } = (await res.json()) as { submitOtk: string; submitDeadline: string };
    const row = await h.get('SELECT site_id, resource_id, subject, expires_at FROM one_time_keys WHERE hash = ?', sha256(submitOtk));
    expect(row).toEqual({ site_id: 'demo', resource_id: s.invitation.id, subject: s.visitor.id, expires_at: Date.parse(submitDeadline) });
    expect(await h.get('SELECT submit_deadline FROM invitations WHERE id = ?', s.invitation.id)).toEqual({
      submit_deadline: Date.parse(submitDeadline),
    });
  });
});
