/**
 * Test fixture: the SQLite schema as the earlier migration runner built it (versions 1–8, table
 * `schema_migrations`), kept to test that such a data directory upgrades in place. Not used by
 * the server: its schema is storage/migrations.ts.
 */
import type { Database } from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE operators (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    username TEXT NOT NULL,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL,
    permissions TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, username)
  );
  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    operator_id TEXT NOT NULL REFERENCES operators(id),
    site_id TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_seen_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER
  );
  CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    state TEXT NOT NULL CHECK (state IN ('waiting', 'active', 'closed')),
    visitor_name TEXT NOT NULL,
    assigned_agent_id TEXT REFERENCES operators(id),
    created_at INTEGER NOT NULL,
    closed_at INTEGER
  );
  CREATE INDEX conversations_site ON conversations (site_id, created_at);
  CREATE TABLE messages (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'invitation', 'invitation-status')),
    from_role TEXT,
    author_name TEXT,
    text TEXT,
    invitation_id TEXT,
    form_title TEXT,
    state TEXT
  );
  CREATE INDEX messages_conversation ON messages (conversation_id, seq);
  CREATE TABLE invitations (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    agent_id TEXT NOT NULL REFERENCES operators(id),
    form_id TEXT NOT NULL,
    form_version INTEGER NOT NULL,
    public_key TEXT NOT NULL,
    state TEXT NOT NULL,
    opens INTEGER NOT NULL DEFAULT 0,
    open_limit INTEGER NOT NULL,
    extensions_used INTEGER NOT NULL DEFAULT 0,
    submission_id TEXT,
    sent_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
  );
  CREATE TABLE one_time_keys (
    hash TEXT PRIMARY KEY,
    action TEXT NOT NULL CHECK (action IN ('view', 'submit', 'retrieve')),
    site_id TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  );
  CREATE INDEX one_time_keys_expiry ON one_time_keys (expires_at);
  CREATE TABLE submissions (
    id TEXT PRIMARY KEY,
    site_id TEXT NOT NULL,
    invitation_id TEXT NOT NULL UNIQUE REFERENCES invitations(id),
    form_ref TEXT NOT NULL,
    key_id TEXT,
    iv BLOB,
    ciphertext BLOB,
    tag BLOB,
    field_ids TEXT NOT NULL,
    hints TEXT NOT NULL,
    off_the_record_present INTEGER NOT NULL,
    off_the_record_expires_at INTEGER,
    submitted_at INTEGER NOT NULL,
    purge_after INTEGER NOT NULL
  );
  CREATE INDEX submissions_purge ON submissions (purge_after);
  `,
  `
  ALTER TABLE operators ADD COLUMN profile TEXT NOT NULL DEFAULT '';
  ALTER TABLE operators ADD COLUMN totp_secret TEXT;
  ALTER TABLE operators ADD COLUMN totp_last_step INTEGER;
  ALTER TABLE invitations ADD COLUMN submit_deadline INTEGER;
  ALTER TABLE invitations ADD COLUMN history_kid TEXT;
  CREATE INDEX invitations_conversation ON invitations (conversation_id, sent_at);
  CREATE INDEX invitations_state ON invitations (state);
  CREATE TABLE conversation_watchers (
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    operator_id TEXT NOT NULL REFERENCES operators(id),
    joined_at INTEGER NOT NULL,
    PRIMARY KEY (conversation_id, operator_id)
  );
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `,
  `
  ALTER TABLE invitations ADD COLUMN state_times TEXT NOT NULL DEFAULT '{}';
  `,
  `
  CREATE TABLE IF NOT EXISTS data_keys (
    key_id TEXT PRIMARY KEY,
    custody TEXT NOT NULL,
    wrapped BLOB NOT NULL,
    created_at INTEGER NOT NULL
  );
  `,
  `
  ALTER TABLE operators ADD COLUMN login_attempt_at INTEGER;
  `,
  `
  CREATE INDEX IF NOT EXISTS conversations_queue ON conversations
    (site_id, (CASE state WHEN 'waiting' THEN 0 WHEN 'active' THEN 1 ELSE 2 END), created_at DESC, id DESC);
  CREATE INDEX IF NOT EXISTS conversations_closed ON conversations (site_id, closed_at) WHERE state = 'closed';
  `,
  // Messages: seq becomes a plain INTEGER PRIMARY KEY (the rowid). AUTOINCREMENT wrote
  // sqlite_sequence on every insert and only forbids reusing the seq of a deleted last row; seq
  // orders a conversation's lines and is never an external id, and a new row still gets a seq
  // above every stored one. The UNIQUE index on id goes: ids are random UUIDs made here, never
  // looked up, and the index was a random-page write on every status line (the costliest insert
  // of a round trip).
  `
  CREATE TABLE messages_next (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL,
    conversation_id TEXT NOT NULL REFERENCES conversations(id),
    at INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('text', 'invitation', 'invitation-status')),
    from_role TEXT,
    author_name TEXT,
    text TEXT,
    invitation_id TEXT,
    form_title TEXT,
    state TEXT
  );
  INSERT INTO messages_next (seq, id, conversation_id, at, kind, from_role, author_name, text, invitation_id, form_title, state)
    SELECT seq, id, conversation_id, at, kind, from_role, author_name, text, invitation_id, form_title, state FROM messages;
  DROP TABLE messages;
  ALTER TABLE messages_next RENAME TO messages;
  CREATE INDEX messages_conversation ON messages (conversation_id, seq);
  `,
  // Each operator's earlier password hashes (scrypt, as in operators.password_hash), for the rule
  // that a new password is none of the last four (PCI DSS 8.3.7); the newest few are kept.
  `
  CREATE TABLE password_history (
    operator_id TEXT NOT NULL REFERENCES operators(id),
    password_hash TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
  );
  CREATE INDEX password_history_operator ON password_history (operator_id, replaced_at);
  `,
];

/** Apply the earlier runner's migrations this database has not seen yet, up to version `upTo`. */
export function legacyMigrate(db: Database, upTo = MIGRATIONS.length): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null };
  const current = row.v ?? 0;
  MIGRATIONS.forEach((sql, index) => {
    const version = index + 1;
    if (version <= current || version > upTo) return;
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
    })();
  });
}
