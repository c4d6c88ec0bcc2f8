/** One-time keys (stored by their hash only). */
import type { Kysely } from 'kysely';
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import type { DB } from './schema.js';
import type { OtkRow, Store } from './types.js';

type OtkQueries = Pick<Store, 'insertOtk' | 'consumeOtk' | 'findOtk'>;

const insert = prepared<never, OtkRow>((d, v) =>
  d.insertInto('oneTimeKeys').values({
    hash: v.hash,
    action: v.action,
    siteId: v.siteId,
    resourceId: v.resourceId,
    subject: v.subject,
    createdAt: v.createdAt,
    expiresAt: v.expiresAt,
    usedAt: v.usedAt,
  }),
);

const consume = prepared<OtkRow, { hash: string; now: number }>((d, v) =>
  d.updateTable('oneTimeKeys').set({ usedAt: v.now }).where('hash', '=', v.hash).where('usedAt', 'is', null).returningAll(),
);

const find = prepared<OtkRow, { hash: string }>((d, v) => d.selectFrom('oneTimeKeys').selectAll().where('hash', '=', v.hash));

/** A key's columns beside another table's in a join, each under its own name (invitations and submissions have `site_id` too). */
export const keyAliases = [
  'oneTimeKeys.hash as kHash',
  'oneTimeKeys.action as kAction',
  'oneTimeKeys.siteId as kSiteId',
  'oneTimeKeys.resourceId as kResourceId',
  'oneTimeKeys.subject as kSubject',
  'oneTimeKeys.createdAt as kCreatedAt',
  'oneTimeKeys.expiresAt as kExpiresAt',
  'oneTimeKeys.usedAt as kUsedAt',
] as const;

export type KeyBeside = {
  kHash: string;
  kAction: OtkRow['action'];
  kSiteId: string;
  kResourceId: string;
  kSubject: string;
  kCreatedAt: number;
  kExpiresAt: number;
  kUsedAt: number | null;
};

/**
 * A joined row taken apart: the key's columns (by {@link keyAliases}) as a key, and the row itself
 * for the other tables' builders, which read their own columns by name (invitations.ts says why
 * nothing is copied by rest or spread).
 */
export function keyBeside<R extends KeyBeside>(row: R): { key: OtkRow; rest: Omit<R, keyof KeyBeside> } {
  const key: OtkRow = {
    hash: row.kHash,
    action: row.kAction,
    siteId: row.kSiteId,
    resourceId: row.kResourceId,
    subject: row.kSubject,
    createdAt: row.kCreatedAt,
    expiresAt: row.kExpiresAt,
    usedAt: row.kUsedAt,
  };
  return { key, rest: row };
}

/** Store a key (inside the caller's unit of work). */
export async function insertOtk(d: Kysely<DB>, row: OtkRow): Promise<void> {
  await insert.run(d, row);
}

/**
 * Spend a key: one UPDATE … RETURNING on both engines, so that of many concurrent callers exactly
 * one gets the row (on PostgreSQL the others wait for the row lock, then find `used_at` set).
 */
export function consumeOtk(d: Kysely<DB>, hash: string, now: number): Promise<OtkRow | undefined> {
  return consume.first(d, { hash, now });
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
      return run((d) => find.first(d, { hash }));
    },
  };
}
