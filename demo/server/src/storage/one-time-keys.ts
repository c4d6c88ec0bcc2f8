/** One-time keys (stored by their hash only). */
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import type { DB } from './schema.js';
import type { OtkRow, Store } from './types.js';

type OtkQueries = Pick<Store, 'insertOtk' | 'consumeOtk' | 'findOtk'>;

/** Store a key (inside the caller's unit of work). */
export async function insertOtk(d: Kysely<DB>, row: OtkRow): Promise<void> {
  await d.insertInto('oneTimeKeys').values(row).execute();
}

/**
 * Spend a key: one UPDATE … RETURNING on both engines, so that of many concurrent callers exactly
 * one gets the row (on PostgreSQL the others wait for the row lock, then find `used_at` set).
 */
export function consumeOtk(d: Kysely<DB>, hash: string, now: number): Promise<OtkRow | undefined> {
  return d
    .updateTable('oneTimeKeys')
    .set({ usedAt: now })
    .where('hash', '=', hash)
    .where('usedAt', 'is', null)
    .returningAll()
    .executeTakeFirst();
}

export function otkQueries({ run }: Engine): OtkQueries {
  return {
    async insertOtk(row) {
      await run((d) => insertOtk(d, row));
    },
    consumeOtk(hash, now) {
      return run((d) => consumeOtk(d, hash, now));
    },
    findOtk(hash) {
      return run((d) => d.selectFrom('oneTimeKeys').selectAll().where('hash', '=', hash).executeTakeFirst());
    },
  };
}
