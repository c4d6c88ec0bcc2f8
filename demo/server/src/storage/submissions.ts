/** Submissions: the sealed answers of a form, with the vault layer of their on-the-record part. */
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Engine } from './engine.js';
import { insertMessage } from './conversations.js';
import { consumeOtk, insertOtk, keyAliases, keyBeside, type KeyBeside } from './one-time-keys.js';
import { prepared } from './prepared.js';
import { outboxOf } from './webhook-outbox.js';
import { fromJson, type DB, type SubmissionsTable } from './schema.js';
import type { OrNull, Store, SubmissionRow } from './types.js';
import {
  conversationAliases,
  invitationColumns,
  withConversation,
  withConversationNamed,
  type StoredWithConversation,
} from './invitation-rows.js';

type SubmissionQueries = Pick<
  Store,
  | 'insertSubmission'
  | 'findSubmission'
  | 'findSubmissionWithInvitation'
  | 'findSubmissionWithInvitationAndKey'
  | 'listSubmissionIdsByKey'
  | 'rewrapAll'
>;

const submissionColumns = [
  'id',
  'siteId',
  'invitationId',
  'formRef',
  'keyId',
  'iv',
  'ciphertext',
  'tag',
  'fieldIds',
  'hints',
  'offTheRecordPresent',
  'offTheRecordExpiresAt',
  'submittedAt',
  'purgeAfter',
] as const;

/** The row as the domain sees it: JSON parsed, the 0/1 flag a boolean; built field by field (invitations.ts's `invitation` says why). */
function submission(row: Pick<Selectable<SubmissionsTable>, (typeof submissionColumns)[number]>): SubmissionRow {
  return {
    id: row.id,
    siteId: row.siteId,
    invitationId: row.invitationId,
    formRef: row.formRef,
    keyId: row.keyId,
    iv: row.iv,
    ciphertext: row.ciphertext,
    tag: row.tag,
    fieldIds: fromJson(row.fieldIds),
    hints: fromJson(row.hints),
    offTheRecordPresent: row.offTheRecordPresent === 1,
    offTheRecordExpiresAt: row.offTheRecordExpiresAt,
    submittedAt: row.submittedAt,
    purgeAfter: row.purgeAfter,
  };
}

type Stored = Pick<Selectable<SubmissionsTable>, (typeof submissionColumns)[number]>;
/** A new row as written: JSON as text, the flag 0/1. */
type NewSubmission = Omit<SubmissionRow, 'fieldIds' | 'hints' | 'offTheRecordPresent'> & {
  fieldIds: string;
  hints: string;
  offTheRecordPresent: number;
};

const find = prepared<Stored, { id: string }>((d, v) => d.selectFrom('submissions').select(submissionColumns).where('id', '=', v.id));

/** The invitation's columns that a submission's row also has, under their own names beside it. */
type InvitationBeside = Omit<StoredWithConversation, 'id' | 'siteId'> & { iId: string; iSiteId: string };

// A submission, its invitation and that invitation's conversation in one statement: what the sender's
// reads of a submission (retrieve, a fresh retrieve key) check. Both joins follow foreign keys.
const withInvitation = (d: Kysely<DB>) =>
  d
    .selectFrom('submissions')
    .innerJoin('invitations', 'invitations.id', 'submissions.invitationId')
    .innerJoin('conversations', 'conversations.id', 'invitations.conversationId')
    .select(submissionColumns.map((column) => `submissions.${column}` as const))
    .select(['invitations.id as iId', 'invitations.siteId as iSiteId'])
    .select(invitationColumns.filter((column) => column !== 'id' && column !== 'siteId').map((column) => `invitations.${column}` as const))
    .select(conversationAliases);
const findWithInvitation = prepared<Stored & InvitationBeside, { id: string }>((d, v) =>
  withInvitation(d).where('submissions.id', '=', v.id),
);
// The same, and the retrieve key presented with it (by its hash; a left join: a key never issued
// still reads the submission, and is refused as such).
const findWithInvitationAndKey = prepared<Stored & InvitationBeside & OrNull<KeyBeside>, { id: string; hash: string }>((d, v) =>
  withInvitation(d)
    .leftJoin('oneTimeKeys', (join) => join.on('oneTimeKeys.hash', '=', v.hash))
    .select(keyAliases)
    .where('submissions.id', '=', v.id),
);

/**
 * A row of {@link withInvitation} taken apart by each table's own columns, read by name: nothing of
 * the submission rides on the invitation (the invitation's id and site under their aliases).
 */
function takeApart(row: Stored & InvitationBeside): { submission: SubmissionRow; invitation: ReturnType<typeof withConversation> } {
  return { submission: submission(row), invitation: withConversationNamed(row.iId, row.iSiteId, row) };
}
const insert = prepared<never, NewSubmission>((d, v) =>
  d
    .insertInto('submissions')
    .values(Object.fromEntries(submissionColumns.map((column) => [column, v[column]])) as Insertable<SubmissionsTable>),
);

/** The round trip's statements that differ by engine, compiled once per engine (prepared.ts). */
function hotStatements(stampOnce: Engine['stampOnce']) {
  type Marked = { id: string; submissionId: string; now: number };
  const marked = (then: boolean) =>
    prepared<never, Marked>((d, v) =>
      d
        .updateTable('invitations')
        .set({
          submissionId: v.submissionId,
          state: 'submitted',
          updatedAt: v.now,
          ...(then ? { stateTimes: stampOnce(SUBMITTED, v.now) } : {}),
        })
        .where('id', '=', v.id)
        .where('submissionId', 'is', null),
    );
  return { markSubmitted: marked(false), markSubmittedAndTime: marked(true) };
}

const SUBMITTED = 'submitted' as const;

export function submissionQueries(engine: Engine): SubmissionQueries {
  const { run, tx, insertionOrder, stampOnce } = engine;
  const outbox = outboxOf(engine);
  const hot = hotStatements(stampOnce);
  return {
    insertSubmission(row, now, otkHash, then) {
      return tx(async (t) => {
        const key = await consumeOtk(t, otkHash, now);
        if (!key) return 'otk-used' as const;
        if (key.expiresAt <= now) return 'otk-expired' as const;
        // Submitted, and (with `then`) the time of it, first time only: one UPDATE.
        const marked = await (then ? hot.markSubmittedAndTime : hot.markSubmitted).run(t, {
          id: row.invitationId,
          submissionId: row.id,
          now,
        });
        if (marked.numAffectedRows !== 1n) return 'already-submitted' as const;
        await insert.run(t, {
          ...row,
          fieldIds: JSON.stringify(row.fieldIds),
          hints: JSON.stringify(row.hints),
          offTheRecordPresent: row.offTheRecordPresent ? 1 : 0,
        });
        if (then) {
          await insertMessage(t, then.message);
          await insertOtk(t, then.otk);
          await outbox.invitationChanged(t, {
            invitationId: row.invitationId,
            conversationId: then.message.conversationId,
            siteId: row.siteId,
            state: 'submitted',
            at: now,
          });
        }
        return 'stored' as const;
      });
    },
    async findSubmission(id) {
      const row = await run((d) => find.first(d, { id }));
      return row && submission(row);
    },
    async findSubmissionWithInvitation(id) {
      const row = await run((d) => findWithInvitation.first(d, { id }));
      return row && takeApart(row);
    },
    async findSubmissionWithInvitationAndKey(id, hash) {
      const row = await run((d) => findWithInvitationAndKey.first(d, { id, hash }));
      if (!row) return undefined;
      if (row.kHash === null) return takeApart(row);
      const { key, rest } = keyBeside(row as typeof row & KeyBeside);
      return { ...takeApart(rest), key };
    },
    listSubmissionIdsByKey() {
      return run((d) => d.selectFrom('submissions').select(['id', 'keyId']).orderBy(insertionOrder).execute());
    },
    rewrapAll(rewrap, meta) {
      return tx(async (t) => {
        let count = 0;
        const rows = await t.selectFrom('submissions').select(submissionColumns).orderBy(insertionOrder).execute();
        for (const row of rows) {
          const wrapped = rewrap(submission(row));
          if (!wrapped) continue;
          await t.updateTable('submissions').set(wrapped).where('id', '=', row.id).execute();
          count++;
        }
        await t
          .insertInto('meta')
          .values(meta)
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: meta.value }))
          .execute();
        return count;
      });
    },
  };
}
