/**
 * Nothing leaves the process before the commits it may rest on are durable (storage/durable-commits.ts):
 * the store's calls return at once, and every way out waits for Store.durable: a response, an
 * event to an agent's stream, a webhook delivery, an audit line. Here the store's durability is
 * held back by the test, as a sync of SQLite's log that has not ended yet.
 */
import { INVITATION_WEBHOOK_EVENT_TYPES, webhookEndpointWithSecretSchema } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { openForm, seal, sent, viewForm } from './test/flows.js';
import { harness, readEvent } from './test/harness.js';
import { readEvents } from './test/event-stream.js';
import { createCredential } from './test/integration.js';
import { settledWithin } from './test/settled.js';
import type { Store } from './storage/types.js';

/**
 * A store whose durability the test holds back, as a sync of SQLite's log that has not ended yet:
 * while held, nothing is durable until the test runs a sync, which makes durable what was waiting
 * when it began (whatever starts waiting after that waits for the next one); released, everything.
 */
function heldDurability() {
  let holding = false;
  const waiting: (() => void)[] = [];
  return {
    wrap: (store: Store): Store => ({
      ...store,
      isDurable: () => !holding && store.isDurable(),
      durable: () => (holding ? new Promise<void>((resolve) => waiting.push(resolve)).then(() => store.durable()) : store.durable()),
    }),
    hold() {
      holding = true;
    },
    /** One sync of the log. */
    sync() {
      for (const go of waiting.splice(0)) go();
    },
    release() {
      holding = false;
      this.sync();
    },
  };
}

/** The `type` of each event read. */
const types = (list: { data: unknown }[]) => list.map((e) => (e.data as { type: string }).type);

/** The sender's event stream, and the visitor's open of the form sent, made while durability is held. */
async function openedWhileHeld() {
  const durability = heldDurability();
  const h = await harness({ store: durability.wrap });
  const s = await sent(h);
  const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
  durability.hold();
  const opened = Promise.resolve(h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers }));
  return { durability, events, opened };
}

describe('the ways out wait for durable commits', () => {
  it('holds a response that only read until the commits it may have seen are durable', async () => {
    const durability = heldDurability();
    const h = await harness({ store: durability.wrap });
    const s = await sent(h);
    durability.hold();
    // The form just sent, read back before its commit is known to be on disk.
    const res = Promise.resolve(h.request(`/v1/conversations/${s.visitor.id}/messages`, { headers: s.visitor.headers }));
    expect(await settledWithin(res, 100)).toBe(false);
    durability.release();
    expect((await res).status).toBe(200);
  });

  it('holds a response that wrote, and its audit line, until the commits are durable', async () => {
    const durability = heldDurability();
    const h = await harness({ store: durability.wrap });
    const s = await sent(h);
    const before = h.audit.entries.length;
    durability.hold();
    const res = Promise.resolve(h.request(`/v1/invitations/${s.invitation.id}/open`, { method: 'POST', headers: s.visitor.headers }));
    expect(await settledWithin(res, 100)).toBe(false);
    expect(h.audit.entries.length).toBe(before);
    durability.release();
    expect((await res).status).toBe(200);
    expect(h.audit.entries.slice(before).map((e) => e.action)).toContain('invitation.open');
  });

  it("holds an agent's event until the commits are durable", async () => {
    const { durability, events, opened } = await openedWhileHeld();
    const event = readEvent(events, (e) =>
      (e as { type?: string }).type === 'invitation' ? (e as { invitation: { state: string } }) : undefined,
    );
    expect(await settledWithin(event, 100)).toBe(false);
    durability.release();
    expect((await event).invitation.state).toBe('opened');
    expect((await opened).status).toBe(200);
  });

  it("sends a state change's events to the agent after one sync of the log, not one sync each", async () => {
    const { durability, events, opened } = await openedWhileHeld();
    expect(await settledWithin(opened, 100)).toBe(false);
    durability.sync();
    const got = await readEvents(events, (list) => types(list).includes('message') && types(list).includes('invitation'), 500);
    // The status line first, then the invitation's new state, as the transcript shows them.
    expect(types(got)).toEqual(['message', 'invitation']);
    durability.release();
    expect((await opened).status).toBe(200);
  });

  it("sends a submission's status line, invitation and retrieve key to the agent after one sync of the log", async () => {
    const durability = heldDurability();
    const h = await harness({ store: durability.wrap });
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    const events = await h.request('/v1/agent/events', { headers: s.alice.headers });
    durability.hold();
    const submitted = Promise.resolve(h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body }));
    expect(await settledWithin(submitted, 100)).toBe(false);
    durability.sync();
    const got = await readEvents(events, (list) => list.length >= 3, 500);
    expect(types(got)).toEqual(['message', 'invitation', 'submission']);
    durability.release();
    expect((await submitted).status).toBe(201);
  });

  it('holds a webhook delivery until the commits are durable', async () => {
    const durability = heldDurability();
    const sentBodies: string[] = [];
    const h = await harness({
      store: durability.wrap,
      webhooks: {
        allowPrivateTargets: true,
        transport: (_url, _headers, body) => {
          sentBodies.push(body);
          return Promise.resolve({ status: 204 });
        },
      },
    });
    const server = await createCredential(h);
    const created = await h.request('/v1/integration/webhooks', {
      headers: server.headers,
      body: { url: 'https://chat.example/hooks', events: INVITATION_WEBHOOK_EVENT_TYPES },
    });
    expect(created.status).toBe(201);
    webhookEndpointWithSecretSchema.parse(await created.json());
    const s = await sent(h);
    await openForm(h, s.visitor, s.invitation.id);
    durability.hold();
    const round = h.app.sendWebhooks();
    expect(await settledWithin(round, 100)).toBe(false);
    expect(sentBodies).toEqual([]);
    durability.release();
    expect(await round).toBeGreaterThan(0);
    await expect.poll(() => sentBodies.length).toBeGreaterThan(0);
  });
});

describe('closing the app', () => {
  it('writes the audit lines still waiting for a durable commit before it has closed', async () => {
    const durability = heldDurability();
    const h = await harness({ store: durability.wrap });
    const before = h.audit.entries.length;
    durability.hold();
    h.app.services.rt.audit.write({
      at: new Date(h.now()).toISOString(),
      action: 'invitation.expire',
      outcome: 'success',
      actor: 'system',
    });
    const closed = h.app.close();
    expect(await settledWithin(closed, 100)).toBe(false);
    durability.release();
    await closed;
    expect(h.audit.entries.slice(before).map((e) => e.action)).toEqual(['invitation.expire']);
  });
});
