/** Passkeys (WebAuthn credentials) of operators: ./passkey-types.ts. */
import type { Engine } from './engine.js';
import type { PasskeyQueries, PasskeyRow } from './passkey-types.js';

/** The public key as one byte type, whichever driver read it (Buffer on both today). */
function row(r: PasskeyRow): PasskeyRow {
  return { ...r, publicKey: new Uint8Array(r.publicKey), counter: Number(r.counter) };
}

export function passkeyQueries({ run, tx, dialect }: Engine): PasskeyQueries {
  return {
    async insertPasskey(passkey) {
      const result = await run((d) =>
        d
          .insertInto('passkeys')
          .values({ ...passkey, publicKey: Buffer.from(passkey.publicKey) })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst(),
      );
      return Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
    },
    async findPasskey(id) {
      const found = await run((d) => d.selectFrom('passkeys').selectAll().where('id', '=', id).executeTakeFirst());
      return found && row(found);
    },
    async listPasskeys(operatorId) {
      const rows = await run((d) =>
        d.selectFrom('passkeys').selectAll().where('operatorId', '=', operatorId).orderBy('createdAt').orderBy('id').execute(),
      );
      return rows.map(row);
    },
    async acceptPasskeyUse(id, counter, now) {
      const accepted = await run((d) =>
        d
          .updateTable('passkeys')
          .set({ counter, lastUsedAt: now })
          .where('id', '=', id)
          // An authenticator that does not count always says 0: accepted while the stored one is 0 too.
          .where('counter', counter === 0 ? '=' : '<', counter)
          .executeTakeFirst(),
      );
      return accepted.numUpdatedRows === 1n;
    },
    async renamePasskey(operatorId, id, name) {
      const result = await run((d) =>
        d.updateTable('passkeys').set({ name }).where('id', '=', id).where('operatorId', '=', operatorId).executeTakeFirst(),
      );
      return result.numUpdatedRows === 1n;
    },
    deletePasskey(operatorId, id, keepOne) {
      return tx(async (t) => {
        // SQLite's transaction holds the write lock already; PostgreSQL's READ COMMITTED needs the row lock.
        if (dialect === 'postgres') await t.selectFrom('operators').select('id').where('id', '=', operatorId).forUpdate().execute();
        const ids = (await t.selectFrom('passkeys').select('id').where('operatorId', '=', operatorId).execute()).map((r) => r.id);
        if (!ids.includes(id)) return 'missing';
        if (keepOne && ids.length === 1) return 'last';
        await t.deleteFrom('passkeys').where('id', '=', id).where('operatorId', '=', operatorId).execute();
        return 'deleted';
      });
    },
    async deletePasskeys(operatorId) {
      const result = await run((d) => d.deleteFrom('passkeys').where('operatorId', '=', operatorId).executeTakeFirst());
      return Number(result.numDeletedRows);
    },
  };
}
