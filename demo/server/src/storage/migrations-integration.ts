/**
 * Migration 0002: the brand chat integration's tables. API credentials (a hash of the secret,
 * never the secret) and the brand's conversations by their external id, unique per site: the
 * primary key is what makes concurrent registrations of one external id end in one conversation.
 */
import { sql, type Migration } from 'kysely';
import type { Dialect } from './engine.js';

export function chatIntegration(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  return {
    async up(db) {
      for (const statement of [
        `CREATE TABLE api_credentials (
          id TEXT PRIMARY KEY,
          site_id TEXT NOT NULL,
          label TEXT NOT NULL,
          secret_hash TEXT NOT NULL,
          created_by TEXT NOT NULL,
          created_at ${time} NOT NULL,
          revoked_at ${time}
        )`,
        `CREATE INDEX api_credentials_site ON api_credentials (site_id, created_at)`,
        // No foreign key to conversations: the transcript purge deletes conversations on its own
        // schedule, and the integration's purge drops the mappings left behind.
        `CREATE TABLE external_conversations (
          site_id TEXT NOT NULL,
          external_id TEXT NOT NULL,
          conversation_id TEXT NOT NULL UNIQUE,
          sealed_token TEXT NOT NULL,
          created_at ${time} NOT NULL,
          PRIMARY KEY (site_id, external_id)
        )`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
