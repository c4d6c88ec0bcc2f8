/**
 * The `data_keys` table: each data key id with its wrapped key and the custody that wrapped it.
 * Synchronous on purpose (better-sqlite3 answers synchronously): the vault wraps and unwraps
 * synchronously, reads a key id here once and keeps the unwrapped key in memory.
 */
import type { Database } from 'better-sqlite3';

/** One stored data key: never the key itself, only its wrapped form. */
export interface DataKeyRow {
  keyId: string;
  custody: string;
  wrapped: Buffer;
  createdAt: number;
}

export class DataKeyTable {
  constructor(private readonly db: Database) {}

  /** The stored data key of `keyId`, if there is one. */
  get(keyId: string): DataKeyRow | undefined {
    const raw = this.db.prepare('SELECT key_id, custody, wrapped, created_at FROM data_keys WHERE key_id = ?').get(keyId) as
      { key_id: string; custody: string; wrapped: Buffer; created_at: number } | undefined;
    return raw && { keyId: raw.key_id, custody: raw.custody, wrapped: raw.wrapped, createdAt: raw.created_at };
  }

  /** Store a new wrapped data key; false when `keyId` already has one. */
  insert(row: DataKeyRow): boolean {
    const result = this.db
      .prepare('INSERT INTO data_keys (key_id, custody, wrapped, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING')
      .run(row.keyId, row.custody, row.wrapped, row.createdAt);
    return result.changes === 1;
  }

  /** Whether any submission or TOTP seed is wrapped under `keyId` (a key id from before this table). */
  hasRecordsUnder(keyId: string): boolean {
    const submission = this.db.prepare('SELECT 1 FROM submissions WHERE key_id = ? LIMIT 1').get(keyId);
    if (submission) return true;
    const seed = this.db
      .prepare(
        "SELECT 1 FROM operators WHERE totp_secret IS NOT NULL AND json_valid(totp_secret) AND json_extract(totp_secret, '$.k') = ? LIMIT 1",
      )
      .get(keyId);
    return Boolean(seed);
  }
}
