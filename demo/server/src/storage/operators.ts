/** Operators and their password history. */
import type { Selectable } from 'kysely';
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import { fromJson, type OperatorsTable } from './schema.js';
import type { OperatorRow, Store } from './types.js';

type OperatorQueries = Pick<
  Store,
  | 'insertOperator'
  | 'findOperatorByUsername'
  | 'findOperator'
  | 'setPasswordHash'
  | 'countSignInAttempt'
  | 'lockAfterFailure'
  | 'uncountSignInAttempt'
  | 'insertSessionUnlessLocked'
  | 'listPasswordHistory'
  | 'changePassword'
  | 'enableOperator'
  | 'setOperatorProfile'
  | 'setTotpSecret'
  | 'acceptTotpStep'
  | 'listOperators'
  | 'rewrapTotpSecrets'
>;

/** The row as the domain sees it: the permissions parsed, the sign-in bookkeeping column left out. */
function operator(row: Selectable<OperatorsTable>): OperatorRow {
  const { loginAttemptAt: _, permissions, ...rest } = row;
  return { ...rest, permissions: fromJson(permissions) };
}

const operatorColumns = [
  'id',
  'siteId',
  'username',
  'displayName',
  'role',
  'permissions',
  'passwordHash',
  'failedLogins',
  'lockedAt',
  'createdAt',
  'profile',
  'totpSecret',
  'totpLastStep',
  'loginAttemptAt',
] as const;

// Every authenticated request reads its operator: compiled once (prepared.ts).
const findById = prepared<Selectable<OperatorsTable>, { id: string }>((d, v) =>
  d.selectFrom('operators').select(operatorColumns).where('id', '=', v.id),
);

export function operatorQueries({ run, tx, insertionOrder }: Engine): OperatorQueries {
  const byId = (id: string) => run((d) => findById.first(d, { id }));
  return {
    async insertOperator(row) {
      await run((d) =>
        d
          .insertInto('operators')
          .values({ ...row, permissions: JSON.stringify(row.permissions) })
          .execute(),
      );
    },
    async findOperatorByUsername(siteId, username) {
      const row = await run((d) =>
        d.selectFrom('operators').select(operatorColumns).where('siteId', '=', siteId).where('username', '=', username).executeTakeFirst(),
      );
      return row && operator(row);
    },
    async findOperator(id) {
      const row = await byId(id);
      return row && operator(row);
    },
    async setPasswordHash(id, hash) {
      await run((d) => d.updateTable('operators').set({ passwordHash: hash }).where('id', '=', id).execute());
    },
    async countSignInAttempt(id, threshold, lockMs, now) {
      // A free slot in this cycle, or a lock (or a full count left by a crashed process) that has
      // run out, which starts a new cycle at 1. One UPDATE: on PostgreSQL a concurrent attempt
      // waits for the row and its WHERE is checked again on the row it then sees.
      const row = await run((d) =>
        d
          .updateTable('operators')
          .set((eb) => ({
            failedLogins: eb
              .case()
              .when(eb.or([eb('lockedAt', 'is not', null), eb('failedLogins', '>=', threshold)]))
              .then(1)
              .else(eb('failedLogins', '+', 1))
              .end(),
            lockedAt: null,
            loginAttemptAt: now,
          }))
          .where('id', '=', id)
          .where((eb) =>
            eb.or([
              eb.and([eb('lockedAt', 'is', null), eb('failedLogins', '<', threshold)]),
              eb(eb.fn.coalesce('lockedAt', 'loginAttemptAt', eb.lit(0)), '<=', now - lockMs),
            ]),
          )
          .returning(operatorColumns)
          .executeTakeFirst(),
      );
      return row && operator(row);
    },
    lockAfterFailure(id, threshold, now) {
      return tx(async (t) => {
        const locked = await t
          .updateTable('operators')
          .set({ lockedAt: now })
          .where('id', '=', id)
          .where('lockedAt', 'is', null)
          .where('failedLogins', '>=', threshold)
          .executeTakeFirst();
        if (locked.numUpdatedRows !== 1n) return false;
        await t.updateTable('sessions').set({ revokedAt: now }).where('operatorId', '=', id).where('revokedAt', 'is', null).execute();
        return true;
      });
    },
    async uncountSignInAttempt(id) {
      await run((d) =>
        d
          .updateTable('operators')
          .set((eb) => ({ failedLogins: eb('failedLogins', '-', 1) }))
          .where('id', '=', id)
          .where('failedLogins', '>', 0)
          .where('lockedAt', 'is', null)
          .execute(),
      );
    },
    insertSessionUnlessLocked(row) {
      return tx(async (t) => {
        const cleared = await t
          .updateTable('operators')
          .set({ failedLogins: 0 })
          .where('id', '=', row.operatorId)
          .where('lockedAt', 'is', null)
          .executeTakeFirst();
        if (cleared.numUpdatedRows !== 1n) return false;
        await t.insertInto('sessions').values(row).execute();
        return true;
      });
    },
    async listPasswordHistory(id, limit) {
      const rows = await run((d) =>
        d
          .selectFrom('passwordHistory')
          .select('passwordHash')
          .where('operatorId', '=', id)
          .orderBy('replacedAt', 'desc')
          .orderBy(insertionOrder, 'desc')
          .limit(limit)
          .execute(),
      );
      return rows.map((r) => r.passwordHash);
    },
    changePassword({ operatorId, oldHash, newHash, keep, keptTokenHash, now }) {
      return tx(async (t) => {
        const replaced = await t
          .updateTable('operators')
          .set({ passwordHash: newHash, failedLogins: 0 })
          .where('id', '=', operatorId)
          .where('passwordHash', '=', oldHash)
          .where('lockedAt', 'is', null)
          .executeTakeFirst();
        if (replaced.numUpdatedRows !== 1n) return false;
        await t.insertInto('passwordHistory').values({ operatorId, passwordHash: oldHash, replacedAt: now }).execute();
        await t
          .deleteFrom('passwordHistory')
          .where('operatorId', '=', operatorId)
          .where(insertionOrder, 'not in', (eb) =>
            eb
              .selectFrom('passwordHistory')
              .select(insertionOrder.as('n'))
              .where('operatorId', '=', operatorId)
              .orderBy('replacedAt', 'desc')
              .orderBy(insertionOrder, 'desc')
              .limit(keep),
          )
          .execute();
        await t
          .updateTable('sessions')
          .set({ revokedAt: now })
          .where('operatorId', '=', operatorId)
          .where('tokenHash', '<>', keptTokenHash)
          .where('revokedAt', 'is', null)
          .execute();
        return true;
      });
    },
    async enableOperator(id) {
      const row = await run((d) =>
        d
          .updateTable('operators')
          .set({ failedLogins: 0, lockedAt: null })
          .where('id', '=', id)
          .returning(operatorColumns)
          .executeTakeFirst(),
      );
      return row && operator(row);
    },
    async setOperatorProfile(id, role, profile, permissions, displayName) {
      await run((d) =>
        d
          .updateTable('operators')
          .set({ role, profile, permissions: JSON.stringify(permissions), displayName })
          .where('id', '=', id)
          .execute(),
      );
    },
    async setTotpSecret(id, wrapped) {
      await run((d) => d.updateTable('operators').set({ totpSecret: wrapped, totpLastStep: null }).where('id', '=', id).execute());
    },
    async acceptTotpStep(id, step) {
      const accepted = await run((d) =>
        d
          .updateTable('operators')
          .set({ totpLastStep: step })
          .where('id', '=', id)
          .where((eb) => eb.or([eb('totpLastStep', 'is', null), eb('totpLastStep', '<', step)]))
          .executeTakeFirst(),
      );
      return accepted.numUpdatedRows === 1n;
    },
    async listOperators(siteId) {
      const rows = await run((d) =>
        d
          .selectFrom('operators')
          .select(operatorColumns)
          .where('siteId', '=', siteId)
          .orderBy('createdAt')
          .orderBy(insertionOrder)
          .execute(),
      );
      return rows.map(operator);
    },
    rewrapTotpSecrets(rewrap) {
      return tx(async (t) => {
        let count = 0;
        const rows = await t.selectFrom('operators').select(operatorColumns).where('totpSecret', 'is not', null).execute();
        for (const row of rows) {
          const next = rewrap(operator(row));
          if (next === null) continue;
          await t.updateTable('operators').set({ totpSecret: next }).where('id', '=', row.id).execute();
          count++;
        }
        return count;
      });
    },
  };
}
