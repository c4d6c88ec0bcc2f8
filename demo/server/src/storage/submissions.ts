/** Submissions: the sealed answers of a form, with the vault layer of their on-the-record part. */
import type { Selectable } from 'kysely';
import type { Engine } from './engine.js';
import { insertMessage } from './conversations.js';
import { consumeOtk, insertOtk } from './one-time-keys.js';
import { fromJson, type SubmissionsTable } from './schema.js';
import type { Store, SubmissionRow } from './types.js';

type SubmissionQueries = Pick<Store, 'insertSubmission' | 'findSubmission' | 'listSubmissionIdsByKey' | 'rewrapAll'>;

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

/** The row as the domain sees it: JSON parsed, the 0/1 flag a boolean. */
function submission(row: Pick<Selectable<SubmissionsTable>, (typeof submissionColumns)[number]>): SubmissionRow {
  return { ...row, fieldIds: fromJson(row.fieldIds), hints: fromJson(row.hints), offTheRecordPresent: row.offTheRecordPresent === 1 };
}

export function submissionQueries({ run, tx, insertionOrder, stampOnce }: Engine): SubmissionQueries {
  return {
    insertSubmission(row, now, otkHash, then) {
      return tx(async (t) => {
        const key = await consumeOtk(t, otkHash, now);
        if (!key) return 'otk-used' as const;
        if (key.expiresAt <= now) return 'otk-expired' as const;
        // Submitted, and (with `then`) the time of it, first time only: one UPDATE.
        const marked = await t
          .updateTable('invitations')
          .set({ submissionId: row.id, state: 'submitted', updatedAt: now, ...(then ? { stateTimes: stampOnce('submitted', now) } : {}) })
          .where('id', '=', row.invitationId)
          .where('submissionId', 'is', null)
          .executeTakeFirst();
        if (marked.numUpdatedRows !== 1n) return 'already-submitted' as const;
        await t
          .insertInto('submissions')
          .values({
            ...row,
            fieldIds: JSON.stringify(row.fieldIds),
            hints: JSON.stringify(row.hints),
            offTheRecordPresent: row.offTheRecordPresent ? 1 : 0,
          })
          .execute();
        if (then) {
          await insertMessage(t, then.message);
          await insertOtk(t, then.otk);
        }
        return 'stored' as const;
      });
    },
    async findSubmission(id) {
      const row = await run((d) => d.selectFrom('submissions').select(submissionColumns).where('id', '=', id).executeTakeFirst());
      return row && submission(row);
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
