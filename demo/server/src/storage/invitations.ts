/** Invitations: a form sent into a conversation, its opens, extensions, state and deadlines. */
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { InvitationState } from '@secure-forms/shared';
import type { Engine } from './engine.js';
import { insertMessage } from './conversations.js';
import { insertOtk } from './one-time-keys.js';
import { fromJson, type DB, type InvitationsTable } from './schema.js';
import type { InvitationRow, Store } from './types.js';

type InvitationQueries = Pick<
  Store,
  | 'insertInvitation'
  | 'findInvitation'
  | 'countOpen'
  | 'setInvitationState'
  | 'useExtension'
  | 'setSubmitDeadline'
  | 'stampInvitationState'
  | 'recordInvitationState'
  | 'setHistoryKid'
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
function extendedDeadline(eb: ExpressionBuilder<DB, 'invitations'>, deadline: number) {
  return eb
    .case()
    .when(eb.or([eb('submitDeadline', 'is', null), eb('submitDeadline', '<', deadline)]))
    .then(eb.val(deadline))
    .else(eb.ref('submitDeadline'))
    .end();
}

/** The state an open moves a sent invitation to (typed: a plain string would widen the column). */
const OPENED = sql<InvitationState>`'opened'`;

export const invitationColumns = [
  'id',
  'siteId',
  'conversationId',
  'agentId',
  'formId',
  'formVersion',
  'publicKey',
  'state',
  'opens',
  'openLimit',
  'extensionsUsed',
  'submissionId',
  'sentAt',
  'updatedAt',
  'submitDeadline',
  'historyKid',
  'stateTimes',
] as const;

/** The row as the domain sees it: its JSON columns parsed. */
export function invitation(row: Pick<Selectable<InvitationsTable>, (typeof invitationColumns)[number]>): InvitationRow {
  return { ...row, publicKey: fromJson(row.publicKey), stateTimes: fromJson(row.stateTimes) };
}

export function invitationQueries({ run, tx, insertionOrder, stampOnce }: Engine): InvitationQueries {
  const find = async (id: string) => {
    const row = await run((d) => d.selectFrom('invitations').select(invitationColumns).where('id', '=', id).executeTakeFirst());
    return row && invitation(row);
  };
  return {
    async insertInvitation(row, message) {
      await tx(async (t) => {
        await t
          .insertInto('invitations')
          .values({ ...row, publicKey: JSON.stringify(row.publicKey), stateTimes: JSON.stringify(row.stateTimes) })
          .execute();
        if (message) await insertMessage(t, message);
      });
    },
    findInvitation: find,
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
    async setInvitationState(id, state, now) {
      await run((d) => d.updateTable('invitations').set({ state, updatedAt: now }).where('id', '=', id).execute());
    },
    async useExtension(id, max, now) {
      const used = await run((d) =>
        d
          .updateTable('invitations')
          .set((eb) => ({ extensionsUsed: eb('extensionsUsed', '+', 1), updatedAt: now }))
          .where('id', '=', id)
          .where('extensionsUsed', '<', max)
          .where('submissionId', 'is', null)
          .executeTakeFirst(),
      );
      return used.numUpdatedRows === 1n;
    },
    async setSubmitDeadline(id, deadline) {
      await run((d) => d.updateTable('invitations').set({ submitDeadline: deadline }).where('id', '=', id).execute());
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
    async recordInvitationState(id, state, at, setState, message) {
      await tx(async (t) => {
        // The state (when asked) and the time it was first entered: one UPDATE of the row, not two.
        await t
          .updateTable('invitations')
          .set({ stateTimes: stampOnce(state, at), ...(setState ? { state, updatedAt: at } : {}) })
          .where('id', '=', id)
          .execute();
        await insertMessage(t, message);
      });
    },
    async setHistoryKid(id, kid) {
      await run((d) => d.updateTable('invitations').set({ historyKid: kid }).where('id', '=', id).execute());
    },
    async openInvitation(id, now, otk, message) {
      const result = await tx(async (t) => {
        // An open counted, the view key's window, and (from sent) the time it was first opened: one UPDATE.
        const counted = await t
          .updateTable('invitations')
          .set((eb) => ({
            opens: eb('opens', '+', 1),
            updatedAt: now,
            state: eb.case().when('state', '=', 'sent').then(OPENED).else(eb.ref('state')).end(),
            submitDeadline: extendedDeadline(eb, otk.expiresAt),
            stateTimes: eb
              .case()
              .when('state', '=', 'sent')
              .then(stampOnce('opened', now))
              .else(sql<string>`state_times`)
              .end(),
          }))
          .where('id', '=', id)
          .whereRef('opens', '<', 'openLimit')
          .where('submissionId', 'is', null)
          .where('state', 'in', ['sent', 'opened'])
          .returning(invitationColumns)
          .executeTakeFirst();
        if (!counted) return undefined;
        await insertOtk(t, otk);
        if (message) await insertMessage(t, message);
        return counted;
      });
      if (result) return { row: invitation(result), counted: true };
      const row = await find(id);
      return row && { row, counted: false };
    },
    async insertInvitationOtk(otk, invitationId, historyKid) {
      await tx(async (t) => {
        await insertOtk(t, otk);
        // A key's window, and the history key id when one is given: one UPDATE.
        await t
          .updateTable('invitations')
          .set((eb) => ({
            submitDeadline: extendedDeadline(eb, otk.expiresAt),
            ...(historyKid === undefined ? {} : { historyKid }),
          }))
          .where('id', '=', invitationId)
          .execute();
      });
    },
    async finishInvitation(id, state, now) {
      const row = await run((d) =>
        d
          .updateTable('invitations')
          .set({ state, updatedAt: now })
          .where('id', '=', id)
          .where('submissionId', 'is', null)
          .where('state', 'in', ['sent', 'opened'])
          .returning(invitationColumns)
          .executeTakeFirst(),
      );
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
