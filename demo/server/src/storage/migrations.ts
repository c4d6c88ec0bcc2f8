/**
 * The schema, as Kysely migrations in code (Kysely's Migrator records them in `kysely_migration`).
 * Written once for both engines; only the column types and the message sequence differ per dialect.
 *
 * A SQLite database made by the earlier migration runner (table `schema_migrations`, versions 1–8)
 * already has this schema: the first migration adopts it in place instead of creating it.
 */
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './engine.js';
import { chatIntegration } from './migrations-integration.js';
import { passkeys } from './migrations-passkeys.js';
import { webhooks } from './migrations-webhooks.js';
import { singleSignOn } from './migrations-sso.js';
import type { DB } from './schema.js';

/** The column types the two dialects spell differently. */
function types(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    /** Epoch milliseconds. */
    time: pg ? 'BIGINT' : 'INTEGER',
    bytes: pg ? 'BYTEA' : 'BLOB',
    json: pg ? 'JSONB' : 'TEXT',
    /** The order messages were written in: the rowid on SQLite, an identity on PostgreSQL. */
    messageSeq: pg ? 'BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY' : 'INTEGER PRIMARY KEY',
    /**
     * Rows of equal time are listed in insertion order: SQLite has the rowid for that, PostgreSQL
     * gets an identity column.
     */
    insertionSeq: pg ? 'seq BIGINT GENERATED ALWAYS AS IDENTITY,' : '',
  };
}

/** The whole schema as the earlier SQLite migrations 1–8 left it. */
function schema(dialect: Dialect): string[] {
  const t = types(dialect);
  return [
    `CREATE TABLE operators (
      ${t.insertionSeq}
      id TEXT PRIMARY KEY,
      site_id TEXT NOT NULL,
      username TEXT NOT NULL,
      display_name TEXT NOT NULL,
      role TEXT NOT NULL,
      permissions ${t.json} NOT NULL,
      password_hash TEXT NOT NULL,
      failed_logins INTEGER NOT NULL DEFAULT 0,
      locked_at ${t.time},
      created_at ${t.time} NOT NULL,
      profile TEXT NOT NULL DEFAULT '',
      totp_secret TEXT,
      totp_last_step ${t.time},
      login_attempt_at ${t.time},
      UNIQUE (site_id, username)
    )`,
    `CREATE TABLE password_history (
      ${t.insertionSeq}
      operator_id TEXT NOT NULL REFERENCES operators(id),
      password_hash TEXT NOT NULL,
      replaced_at ${t.time} NOT NULL
    )`,
    `CREATE INDEX password_history_operator ON password_history (operator_id, replaced_at)`,
    `CREATE TABLE sessions (
      token_hash TEXT PRIMARY KEY,
      operator_id TEXT NOT NULL REFERENCES operators(id),
      site_id TEXT NOT NULL,
      created_at ${t.time} NOT NULL,
      last_seen_at ${t.time} NOT NULL,
      expires_at ${t.time} NOT NULL,
      revoked_at ${t.time}
    )`,
    `CREATE TABLE conversations (
      ${t.insertionSeq}
      id TEXT PRIMARY KEY,
      site_id TEXT NOT NULL,
      token_hash TEXT NOT NULL UNIQUE,
      state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'closed')),
      visitor_name TEXT NOT NULL,
      assigned_agent_id TEXT REFERENCES operators(id),
      created_at ${t.time} NOT NULL,
      closed_at ${t.time}
    )`,
    `CREATE INDEX conversations_site ON conversations (site_id, created_at)`,
    // The queue order: waiting, active, closed; newest first in each.
    `CREATE INDEX conversations_queue ON conversations
      (site_id, (CASE state WHEN 'waiting' THEN 0 WHEN 'active' THEN 1 ELSE 2 END), created_at DESC, id DESC)`,
    `CREATE INDEX conversations_closed ON conversations (site_id, closed_at) WHERE state = 'closed'`,
    `CREATE TABLE conversation_watchers (
      conversation_id TEXT NOT NULL REFERENCES conversations(id),
      operator_id TEXT NOT NULL REFERENCES operators(id),
      joined_at ${t.time} NOT NULL,
      PRIMARY KEY (conversation_id, operator_id)
    )`,
    // No unique index on id: ids are random UUIDs made here and never looked up.
    `CREATE TABLE messages (
      seq ${t.messageSeq},
      id TEXT NOT NULL,
      conversation_id TEXT NOT NULL REFERENCES conversations(id),
      at ${t.time} NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('text', 'invitation', 'invitation-status')),
      from_role TEXT,
      author_name TEXT,
      text TEXT,
      invitation_id TEXT,
      form_title TEXT,
      state TEXT
    )`,
    `CREATE INDEX messages_conversation ON messages (conversation_id, seq)`,
    `CREATE TABLE invitations (
      ${t.insertionSeq}
      id TEXT PRIMARY KEY,
      site_id TEXT NOT NULL,
      conversation_id TEXT NOT NULL REFERENCES conversations(id),
      agent_id TEXT NOT NULL REFERENCES operators(id),
      form_id TEXT NOT NULL,
      form_version INTEGER NOT NULL,
      public_key ${t.json} NOT NULL,
      state TEXT NOT NULL,
      opens INTEGER NOT NULL DEFAULT 0,
      open_limit INTEGER NOT NULL,
      extensions_used INTEGER NOT NULL DEFAULT 0,
      submission_id TEXT,
      sent_at ${t.time} NOT NULL,
      updated_at ${t.time} NOT NULL,
      submit_deadline ${t.time},
      history_kid TEXT,
      state_times ${t.json} NOT NULL DEFAULT '{}'
    )`,
    `CREATE INDEX invitations_conversation ON invitations (conversation_id, sent_at)`,
    `CREATE INDEX invitations_state ON invitations (state)`,
    `CREATE TABLE one_time_keys (
      hash TEXT PRIMARY KEY,
      action TEXT NOT NULL CHECK (action IN ('view', 'submit', 'retrieve')),
      site_id TEXT NOT NULL,
      resource_id TEXT NOT NULL,
      subject TEXT NOT NULL,
      created_at ${t.time} NOT NULL,
      expires_at ${t.time} NOT NULL,
      used_at ${t.time}
    )`,
    `CREATE INDEX one_time_keys_expiry ON one_time_keys (expires_at)`,
    `CREATE TABLE submissions (
      ${t.insertionSeq}
      id TEXT PRIMARY KEY,
      site_id TEXT NOT NULL,
      invitation_id TEXT NOT NULL UNIQUE REFERENCES invitations(id),
      form_ref TEXT NOT NULL,
      key_id TEXT,
      iv ${t.bytes},
      ciphertext ${t.bytes},
      tag ${t.bytes},
      field_ids ${t.json} NOT NULL,
      hints ${t.json} NOT NULL,
      off_the_record_present INTEGER NOT NULL,
      off_the_record_expires_at ${t.time},
      submitted_at ${t.time} NOT NULL,
      purge_after ${t.time} NOT NULL
    )`,
    `CREATE INDEX submissions_purge ON submissions (purge_after)`,
    `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
    `CREATE TABLE data_keys (
      key_id TEXT PRIMARY KEY,
      custody TEXT NOT NULL,
      wrapped ${t.bytes} NOT NULL,
      created_at ${t.time} NOT NULL
    )`,
  ];
}

/** The last version of the earlier SQLite migration runner: its databases have this schema. */
const LAST_LEGACY_VERSION = 8;

/** Thrown for a SQLite database the earlier runner left at a version before the last. */
export class LegacySchemaError extends Error {
  override readonly name = 'LegacySchemaError';
}

/** The version the earlier runner recorded, or undefined for a database it never touched. */
async function legacyVersion(db: Kysely<unknown>): Promise<number | undefined> {
  const { rows } = await sql<{
    n: number;
  }>`SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`.execute(db);
  if (!rows[0]?.n) return undefined;
  const version = await sql<{ v: number | null }>`SELECT MAX(version) AS v FROM schema_migrations`.execute(db);
  return version.rows[0]?.v ?? 0;
}

function initial(dialect: Dialect): Migration {
  return {
    async up(db) {
      if (dialect === 'sqlite') {
        const version = await legacyVersion(db);
        if (version !== undefined) {
          if (version !== LAST_LEGACY_VERSION) {
            throw new LegacySchemaError(
              `This database has schema version ${version} of the earlier migration runner; this release upgrades only version ${LAST_LEGACY_VERSION}. Start the previous release once on it, then this one.`,
            );
          }
          // Same tables, same rows: only the record of applied migrations moves to Kysely's.
          await sql`DROP TABLE schema_migrations`.execute(db);
          return;
        }
      }
      for (const statement of schema(dialect)) await sql.raw(statement).execute(db);
    },
  };
}

/** Every migration, by name (Kysely runs them in name order). */
export function migrations(dialect: Dialect): Record<string, Migration> {
  return {
    '0001-initial': initial(dialect),
    '0002-chat-integration': chatIntegration(dialect),
    '0003-webhooks': webhooks(dialect),
    '0004-passkeys': passkeys(dialect),
    '0005-single-sign-on': singleSignOn(dialect),
  };
}

/**
 * Bring the database up to the newest schema; throws the migration's own error when one fails.
 * `schema` (PostgreSQL) names where Kysely keeps its own tables: it looks for them in every
 * schema otherwise, and would take another schema's for this one's.
 */
export async function migrate(db: Kysely<DB>, dialect: Dialect, schema?: string): Promise<void> {
  const provider: MigrationProvider = { getMigrations: () => Promise.resolve(migrations(dialect)) };
  const { error } = await new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) }).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('A migration failed.', { cause: error });
}
