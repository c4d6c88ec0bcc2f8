/** The meta table (the vault's current key id, …) and the vault's wrapped data keys. */
import type { Engine } from './engine.js';
import type { Store } from './types.js';

type MetaQueries = Pick<Store, 'getMeta' | 'setMeta' | 'listDataKeys' | 'insertDataKey' | 'hasRecordsUnder'>;

export function metaQueries({ run }: Engine): MetaQueries {
  return {
    async getMeta(key) {
      const row = await run((d) => d.selectFrom('meta').select('value').where('key', '=', key).executeTakeFirst());
      return row?.value;
    },
    async setMeta(key, value) {
      await run((d) =>
        d
          .insertInto('meta')
          .values({ key, value })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value }))
          .execute(),
      );
    },
    listDataKeys() {
      return run((d) => d.selectFrom('dataKeys').selectAll().orderBy('createdAt').execute());
    },
    async insertDataKey(row) {
      const inserted = await run((d) =>
        d
          .insertInto('dataKeys')
          .values(row)
          .onConflict((oc) => oc.column('keyId').doNothing())
          .executeTakeFirst(),
      );
      return inserted.numInsertedOrUpdatedRows === 1n;
    },
    async hasRecordsUnder(keyId) {
      const submission = await run((d) => d.selectFrom('submissions').select('id').where('keyId', '=', keyId).limit(1).executeTakeFirst());
      if (submission) return true;
      // A wrapped TOTP seed is the vault's JSON (`{"k": key id, …}`), opaque to SQL on either
      // engine: read here, a handful of operators at most.
      const seeds = await run((d) => d.selectFrom('operators').select('totpSecret').where('totpSecret', 'is not', null).execute());
      return seeds.some(({ totpSecret }) => wrappedUnder(totpSecret, keyId));
    },
  };
}

function wrappedUnder(wrapped: string | null, keyId: string): boolean {
  try {
    return (JSON.parse(wrapped ?? 'null') as { k?: unknown } | null)?.k === keyId;
  } catch {
    return false;
  }
}
