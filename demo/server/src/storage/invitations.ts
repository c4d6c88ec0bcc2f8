/** Invitations: a form sent into a conversation, its opens, extensions, state and deadlines. */
import { sql, type ExpressionBuilder, type Insertable } from 'kysely';
import type { InvitationState } from '@secure-forms/shared';
import type { Engine } from './engine.js';
import { insertMessage } from './conversations.js';
import { consumeOtk, insertOtk } from './one-time-keys.js';
import { prepared } from './prepared.js';
import { outboxOf } from './webhook-outbox.js';
import {
  conversationAliases,
  invitation,
  invitationColumns,
  withConversation,
  type Stored,
  type StoredWithConversation,
} from './invitation-rows.js';
import type { DB, InvitationsTable } from './schema.js';
import type { InvitationRow, Store } from './types.js';

type InvitationQueries = Pick<
  Store,
  | 'insertInvitation'
  | 'findInvitation'
  | 'findInvitationWithConversation'
  | 'countOpen'
  | 'stampInvitationState'
  | 'recordInvitationState'
  | 'openInvitation'
  | 'insertInvitationOtk'
  | 'finishInvitation'
  | 'listOpenInvitations'
  | 'listInvitationsByConversation'
>;

/**
 * The invitation's window extended to `deadline` (a key's), never shortened. The deadline is a
 * parameter (`eb.val`): as a bare `then(value)` Kysely writes it into the SQL text, and every
 * call would prepare a statement of its own.
 */
export function extendedDeadline(eb: ExpressionBuilder<DB, 'invitations'>, deadline: number) {
  return eb
    .case()
    .when(eb.or([eb('submitDeadline', 'is', null), eb('submitDeadline', '<', deadline)]))
    .then(eb.val(deadline))
    .else(eb.ref('submitDeadline'))
    .end();
}

/** The state an open moves a sent invitation to (typed: a plain string would widen the column). */
const OPENED = sql<InvitationState>`'opened'`;
const OPENED_STATE: InvitationState = 'opened';

/** A new row as written: the JSON columns as text. */
type NewInvitation = Omit<InvitationRow, 'publicKey' | 'stateTimes'> & { publicKey: string; stateTimes: string };

/** What an open's UPDATE is given: the invitation, the time, and the deadline of the key the open hands out. */
type OpenValues = { id: string; now: number; deadline: number };

/**
 * An open counted, the window of the key it hands out, and (from sent) the time it was first
 * opened: one UPDATE, only while opens are left and nothing was submitted. `more` is what a
 * variant writes besides, in the same UPDATE.
 */
function openStatement<V extends OpenValues>(stampOnce: Engine['stampOnce'], more: (v: V) => { historyKid?: string }) {
  return prepared<Stored, V>((d, v) =>
    d
      .updateTable('invitations')
      .set((eb) => ({
        opens: eb('opens', '+', 1),
        updatedAt: v.now,
        state: eb.case().when('state', '=', 'sent').then(OPENED).else(eb.ref('state')).end(),
        submitDeadline: extendedDeadline(eb, v.deadline),
        stateTimes: eb
          .case()
          .when('state', '=', 'sent')
          .then(stampOnce(OPENED_STATE, v.now))
          .else(sql<string>`state_times`)
          .end(),
        ...more(v),
      }))
      .where('id', '=', v.id)
      .whereRef('opens', '<', 'openLimit')
      .where('submissionId', 'is', null)
      .where('state', 'in', ['sent', 'opened'])
      .returning(invitationColumns),
  );
}

/** The round trip's statements, compiled once per engine (prepared.ts); the rest are built per call. */
function hotStatements(stampOnce: Engine['stampOnce']) {
  return {
    find: prepared<Stored, { id: string }>((d, v) => d.selectFrom('invitations').select(invitationColumns).where('id', '=', v.id)),
    // The invitation and its conversation in one statement: open, view, submit and retrieve need both.
    findWithConversation: prepared<StoredWithConversation, { id: string }>((d, v) =>
      d
        .selectFrom('invitations')
        .innerJoin('conversations', 'conversations.id', 'invitations.conversationId')
        .select(invitationColumns.map((column) => `invitations.${column}` as const))
        .select(conversationAliases)
        .where('invitations.id', '=', v.id),
    ),
    insert: prepared<never, NewInvitation>((d, v) =>
      d
        .insertInto('invitations')
        .values(Object.fromEntries(invitationColumns.map((column) => [column, v[column]])) as Insertable<InvitationsTable>),
    ),
    // An open counted with the key it hands out (a view key); and the frame's open, which hands out
    // a submit key and records the history key id its answers will be sealed to.
    open: openStatement<OpenValues>(stampOnce, () => ({})),
    openWithHistoryKid: openStatement<OpenValues & { historyKid: string }>(stampOnce, (v) => ({ historyKid: v.historyKid })),
    // A key's window, and the history key id when one is given: one UPDATE.
    keyWindow: prepared<never, { id: string; deadline: number }>((d, v) =>
      d
        .updateTable('invitations')
        .set((eb) => ({ submitDeadline: extendedDeadline(eb, v.deadline) }))
        .where('id', '=', v.id),
    ),
    keyWindowAndHistoryKid: prepared<never, { id: string; deadline: number; historyKid: string }>((d, v) =>
      d
        .updateTable('invitations')
        .set((eb) => ({ submitDeadline: extendedDeadline(eb, v.deadline), historyKid: v.historyKid }))
        .where('id', '=', v.id),
    ),
    // The state and the time it was first entered: one UPDATE of the row, not two. Only from
    // another state: of concurrent moves to one state, one updates the row (and queues its webhook).
    stateAndTime: prepared<never, { id: string; state: InvitationState; at: number }>((d, v) =>
      d
        .updateTable('invitations')
        .set({ stateTimes: stampOnce(v.state, v.at), state: v.state, updatedAt: v.at })
        .where('id', '=', v.id)
        .where('state', '<>', v.state),
    ),
    time: prepared<never, { id: string; state: InvitationState; at: number }>((d, v) =>
      d
        .updateTable('invitations')
        .set({ stateTimes: stampOnce(v.state, v.at) })
        .where('id', '=', v.id),
    ),
  };
}

export function invitationQueries(engine: Engine): InvitationQueries {
  const { run, tx, insertionOrder, stampOnce } = engine;
  const hot = hotStatements(stampOnce);
  const outbox = outboxOf(engine);
  const find = async (id: string) => {
    const row = await run((d) => hot.find.first(d, { id }));
    return row && invitation(row);
  };
  return {
    async insertInvitation(row, message) {
      await tx(async (t) => {
        await hot.insert.run(t, { ...row, publicKey: JSON.stringify(row.publicKey), stateTimes: JSON.stringify(row.stateTimes) });
        if (message) await insertMessage(t, message);
        await outbox.invitationChanged(t, {
          invitationId: row.id,
          conversationId: row.conversationId,
          siteId: row.siteId,
          state: 'sent',
          at: row.sentAt,
        });
      });
    },
    findInvitation: find,
    async findInvitationWithConversation(id) {
      const row = await run((d) => hot.findWithConversation.first(d, { id }));
      return row && withConversation(row);
    },
    async countOpen(id, now) {
      const counted = await run((d) =>
        d
          .updateTable('invitations')
          .set((eb) => ({
            opens: eb('opens', '+', 1),
            updatedAt: now,
            state: eb.case().when('state', '=', 'sent').then(OPENED).else(eb.ref('state')).end(),
          }))
          .where('id', '=', id)
          .whereRef('opens', '<', 'openLimit')
          .where('submissionId', 'is', null)
          .where('state', 'in', ['sent', 'opened'])
          .returning(invitationColumns)
          .executeTakeFirst(),
      );
      if (counted) return { row: invitation(counted), counted: true };
      const row = await find(id);
      return row && { row, counted: false };
    },
    async stampInvitationState(id, state, at) {
      await run((d) =>
        d
          .updateTable('invitations')
          .set({ stateTimes: stampOnce(state, at) })
          .where('id', '=', id)
          .execute(),
      );
    },
    recordInvitationState(id, state, at, setState, message, spend) {
      return tx(async (t) => {
        if (spend && !(await consumeOtk(t, spend.hash, spend.now))) return false;
        const moved = await (setState ? hot.stateAndTime : hot.time).run(t, { id, state, at });
        // The status line and the webhook of a move this transaction made: a concurrent request's
        // move to the same state (it found the row moved: PostgreSQL checks the WHERE again on the
        // locked row) writes neither, so the transcript says "viewed" once as the webhook does.
        if (setState && moved.numAffectedRows !== 1n) return 'already';
        await insertMessage(t, message);
        if (setState) await outbox.invitationChanged(t, { invitationId: id, conversationId: message.conversationId, state, at });
        return 'recorded';
      });
    },
    async openInvitation(id, now, otk, message, historyKid) {
      const deadline = otk.expiresAt;
      const result = await tx(async (t) => {
        const counted = await (historyKid === undefined
          ? hot.open.first(t, { id, now, deadline })
          : hot.openWithHistoryKid.first(t, { id, now, deadline, historyKid }));
        if (!counted) return undefined;
        await insertOtk(t, otk);
        if (message) await insertMessage(t, message);
        // The first counted open is the one that moved it from sent to opened (each counts one).
        if (counted.opens === 1) {
          await outbox.invitationChanged(t, {
            invitationId: id,
            conversationId: counted.conversationId,
            siteId: counted.siteId,
            state: 'opened',
            at: now,
          });
        }
        return counted;
      });
      if (result) return { row: invitation(result), counted: true };
      const row = await find(id);
      return row && { row, counted: false };
    },
    insertInvitationOtk(otk, invitationId, historyKid, spend) {
      return tx(async (t) => {
        if (spend && !(await consumeOtk(t, spend.hash, spend.now))) return false;
        await insertOtk(t, otk);
        if (historyKid === undefined) await hot.keyWindow.run(t, { id: invitationId, deadline: otk.expiresAt });
        else await hot.keyWindowAndHistoryKid.run(t, { id: invitationId, deadline: otk.expiresAt, historyKid });
        return true;
      });
    },
    async finishInvitation(id, state, now) {
      const finish = (d: typeof engine.db) =>
        d
          .updateTable('invitations')
          .set({ state, updatedAt: now })
          .where('id', '=', id)
          .where('submissionId', 'is', null)
          .where('state', 'in', ['sent', 'opened'])
          .returning(invitationColumns)
          .executeTakeFirst();
      // With webhooks to queue, the move and its deliveries are one transaction; without, one statement as before.
      const row = outbox.mayQueue()
        ? await tx(async (t) => {
            const finished = await finish(t);
            if (finished) {
              await outbox.invitationChanged(t, {
                invitationId: id,
                conversationId: finished.conversationId,
                siteId: finished.siteId,
                state,
                at: now,
              });
            }
            return finished;
          })
        : await run(finish);
      return row && invitation(row);
    },
    async listOpenInvitations() {
      const rows = await run((d) =>
        d
          .selectFrom('invitations')
          .select(invitationColumns)
          .where('state', 'in', ['sent', 'opened'])
          .where('submissionId', 'is', null)
          .execute(),
      );
      return rows.map(invitation);
    },
    async listInvitationsByConversation(conversationId) {
      const rows = await run((d) =>
        d
          .selectFrom('invitations')
          .select(invitationColumns)
          .where('conversationId', '=', conversationId)
          .orderBy('sentAt')
          .orderBy(insertionOrder)
          .execute(),
      );
      return rows.map(invitation);
    },
  };
}
