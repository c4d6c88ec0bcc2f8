/** Conversations, their transcripts (messages) and their watchers. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import { outboxOf } from './webhook-outbox.js';
import type { DB, MessagesTable } from './schema.js';
import type { ConversationRow, MessageRow, Store } from './types.js';

type ConversationQueries = Pick<
  Store,
  | 'insertConversation'
  | 'findConversation'
  | 'listConversations'
  | 'listConversationPage'
  | 'purgeTranscripts'
  | 'changeConversation'
  | 'addWatcher'
  | 'listWatchers'
  | 'insertMessage'
  | 'listMessages'
>;

/** The queue order of a conversation state (the expression of index conversations_queue). */
const QUEUE_RANK = sql<number>`(CASE state WHEN 'waiting' THEN 0 WHEN 'active' THEN 1 ELSE 2 END)`;
const RANK = { waiting: 0, active: 1, closed: 2 } as const;

const conversationColumns = ['id', 'siteId', 'tokenHash', 'state', 'visitorName', 'assignedAgentId', 'createdAt', 'closedAt'] as const;

const insertMessageRow = prepared<never, Omit<MessagesTable, 'seq'>>((d, v) =>
  d.insertInto('messages').values({
    id: v.id,
    conversationId: v.conversationId,
    at: v.at,
    kind: v.kind,
    fromRole: v.fromRole,
    authorName: v.authorName,
    text: v.text,
    invitationId: v.invitationId,
    formTitle: v.formTitle,
    state: v.state,
  }),
);

const findConversation = prepared<ConversationRow, { id: string }>((d, v) =>
  d.selectFrom('conversations').select(conversationColumns).where('id', '=', v.id),
);

/** Insert one transcript line (inside the caller's unit of work). */
export async function insertMessage(d: Kysely<DB>, row: MessageRow): Promise<void> {
  await insertMessageRow.run(d, {
    id: row.id,
    conversationId: row.conversationId,
    at: row.at,
    kind: row.kind,
    fromRole: row.kind === 'text' ? row.from : null,
    authorName: row.kind === 'text' ? row.authorName : null,
    text: row.kind === 'text' ? row.text : null,
    invitationId: row.kind === 'text' ? null : row.invitationId,
    formTitle: row.kind === 'invitation' ? row.formTitle : null,
    state: row.kind === 'invitation-status' ? row.state : null,
  });
}

/** A transcript line as the domain sees it: one shape per kind (the table has the union of their columns). */
function message(r: Omit<Selectable<MessagesTable>, 'seq'>): MessageRow {
  const base = { id: r.id, conversationId: r.conversationId, at: r.at };
  switch (r.kind) {
    case 'invitation':
      return { ...base, kind: 'invitation', invitationId: r.invitationId ?? '', formTitle: r.formTitle ?? '' };
    case 'invitation-status':
      return { ...base, kind: 'invitation-status', invitationId: r.invitationId ?? '', state: r.state ?? 'sent' };
    default:
      return { ...base, kind: 'text', from: r.fromRole ?? 'system', authorName: r.authorName ?? '', text: r.text ?? '' };
  }
}

export function conversationQueries(engine: Engine): ConversationQueries {
  const { run, tx, insertionOrder } = engine;
  const outbox = outboxOf(engine);
  const find = (id: string) => run((d) => findConversation.first(d, { id }));
  return {
    async insertConversation(row) {
      await run((d) => d.insertInto('conversations').values(row).execute());
    },
    findConversation: find,
    listConversations(siteId) {
      return run((d) =>
        d
          .selectFrom('conversations')
          .select(conversationColumns)
          .where('siteId', '=', siteId)
          .orderBy('createdAt')
          .orderBy(insertionOrder)
          .execute(),
      );
    },
    listConversationPage(siteId, limit, after) {
      // The queue, waiting first, then active, then closed; newest first in each (index conversations_queue).
      // The workspace follows this order (shared's compareQueueOrder) for conversations events bring.
      return run((d) => {
        let query = d.selectFrom('conversations').select(conversationColumns).where('siteId', '=', siteId);
        if (after) {
          const rank = RANK[after.state];
          query = query.where((eb) =>
            eb.or([
              eb(QUEUE_RANK, '>', rank),
              eb.and([
                eb(QUEUE_RANK, '=', rank),
                eb.or([eb('createdAt', '<', after.createdAt), eb.and([eb('createdAt', '=', after.createdAt), eb('id', '<', after.id)])]),
              ]),
            ]),
          );
        }
        return query.orderBy(QUEUE_RANK).orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(limit).execute();
      });
    },
    purgeTranscripts(siteId, closedBefore, batch) {
      return tx(async (t) => {
        // Closed long enough, and no form response of theirs still kept (responses have their own retention).
        const rows = await t
          .selectFrom('conversations as c')
          .select('c.id')
          .where('c.siteId', '=', siteId)
          .where('c.state', '=', 'closed')
          .where('c.closedAt', '<=', closedBefore)
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('invitations as i')
                  .innerJoin('submissions as s', 's.invitationId', 'i.id')
                  .select(sql.lit(1).as('one'))
                  .whereRef('i.conversationId', '=', 'c.id'),
              ),
            ),
          )
          .limit(batch)
          .execute();
        const ids = rows.map((r) => r.id);
        if (ids.length === 0) return 0;
        await t.deleteFrom('messages').where('conversationId', 'in', ids).execute();
        await t.deleteFrom('conversationWatchers').where('conversationId', 'in', ids).execute();
        await t.deleteFrom('invitations').where('conversationId', 'in', ids).execute();
        await t.deleteFrom('conversations').where('id', 'in', ids).execute();
        return ids.length;
      });
    },
    changeConversation(id, from, to, change) {
      return tx(async (t) => {
        let update = t
          .updateTable('conversations')
          .set({ state: to.state, assignedAgentId: to.assignedAgentId, ...(to.closedAt === undefined ? {} : { closedAt: to.closedAt }) })
          .where('id', '=', id)
          .where('state', '=', from.state);
        update =
          from.assignedAgentId === null
            ? update.where('assignedAgentId', 'is', null)
            : update.where('assignedAgentId', '=', from.assignedAgentId);
        // On PostgreSQL a concurrent UPDATE of the row waits for this one, then finds the new row
        // no longer `from` and changes nothing; on SQLite the writers take turns.
        const { numUpdatedRows } = await update.executeTakeFirst();
        if (numUpdatedRows !== 1n) return false;
        if (change && to.state !== 'waiting') await outbox.conversationChanged(t, { ...change, conversationId: id, state: to.state });
        return true;
      });
    },
    async addWatcher(conversationId, operatorId, now) {
      await run((d) =>
        d
          .insertInto('conversationWatchers')
          .values({ conversationId, operatorId, joinedAt: now })
          .onConflict((oc) => oc.columns(['conversationId', 'operatorId']).doNothing())
          .execute(),
      );
    },
    async listWatchers(conversationId) {
      const rows = await run((d) =>
        d
          .selectFrom('conversationWatchers')
          .select('operatorId')
          .where('conversationId', '=', conversationId)
          .orderBy('joinedAt')
          .execute(),
      );
      return rows.map((r) => r.operatorId);
    },
    async insertMessage(row) {
      await run((d) => insertMessage(d, row));
    },
    async listMessages(conversationId) {
      const rows = await run((d) =>
        d
          .selectFrom('messages')
          .select(['id', 'conversationId', 'at', 'kind', 'fromRole', 'authorName', 'text', 'invitationId', 'formTitle', 'state'])
          .where('conversationId', '=', conversationId)
          .orderBy('seq')
          .execute(),
      );
      return rows.map(message);
    },
  };
}
