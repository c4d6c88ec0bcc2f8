/**
 * The embedded store: SQLite through better-sqlite3, WAL journal, migrations in code.
 */
/* eslint-disable @typescript-eslint/require-await -- the Storage interface is async, so that a
   networked database can implement it; better-sqlite3 answers synchronously. */
import type { Database } from 'better-sqlite3';
import type {
  ConversationRow,
  InvitationRow,
  MessageRow,
  OperatorRow,
  OtkRow,
  QueuePosition,
  SessionRow,
  Store,
  SubmissionRow,
} from './types.js';
import { DEFAULT_BUSY_DEADLINE_MS, whileBusy } from './busy.js';

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

/** Apply the migrations this database has not seen yet (up to version `upTo`, for tests of a migration). */
export function migrate(db: Database, upTo = MIGRATIONS.length): void {
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

/** WAL for a file database; foreign keys on; wait up to 5 s for the lock (the store lowers it to 0 once open). */
export function configure(db: Database): void {
  if (!db.memory) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
}

type Raw = Record<string, unknown>;
const str = (v: unknown) => v as string;
const num = (v: unknown) => v as number;
const optNum = (v: unknown) => (v === null || v === undefined ? null : (v as number));
const optStr = (v: unknown) => (v === null || v === undefined ? null : (v as string));
const optBuf = (v: unknown) => (v === null || v === undefined ? null : (v as Buffer));

function toOperator(r: Raw): OperatorRow {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    username: str(r.username),
    displayName: str(r.display_name),
    role: str(r.role) as OperatorRow['role'],
    permissions: JSON.parse(str(r.permissions)) as OperatorRow['permissions'],
    passwordHash: str(r.password_hash),
    failedLogins: num(r.failed_logins),
    lockedAt: optNum(r.locked_at),
    createdAt: num(r.created_at),
    profile: str(r.profile),
    totpSecret: optStr(r.totp_secret),
    totpLastStep: optNum(r.totp_last_step),
  };
}
function toSession(r: Raw): SessionRow {
  return {
    tokenHash: str(r.token_hash),
    operatorId: str(r.operator_id),
    siteId: str(r.site_id),
    createdAt: num(r.created_at),
    lastSeenAt: num(r.last_seen_at),
    expiresAt: num(r.expires_at),
    revokedAt: optNum(r.revoked_at),
  };
}
function toConversation(r: Raw): ConversationRow {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    tokenHash: str(r.token_hash),
    state: str(r.state) as ConversationRow['state'],
    visitorName: str(r.visitor_name),
    assignedAgentId: optStr(r.assigned_agent_id),
    createdAt: num(r.created_at),
    closedAt: optNum(r.closed_at),
  };
}
function toMessage(r: Raw): MessageRow {
  const base = { id: str(r.id), conversationId: str(r.conversation_id), at: num(r.at) };
  switch (r.kind) {
    case 'invitation':
      return { ...base, kind: 'invitation', invitationId: str(r.invitation_id), formTitle: str(r.form_title) };
    case 'invitation-status':
      return { ...base, kind: 'invitation-status', invitationId: str(r.invitation_id), state: str(r.state) as never };
    default:
      return { ...base, kind: 'text', from: str(r.from_role) as never, authorName: str(r.author_name), text: str(r.text) };
  }
}
function toInvitation(r: Raw): InvitationRow {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    conversationId: str(r.conversation_id),
    agentId: str(r.agent_id),
    formId: str(r.form_id),
    formVersion: num(r.form_version),
    publicKey: str(r.public_key),
    state: str(r.state) as InvitationRow['state'],
    opens: num(r.opens),
    openLimit: num(r.open_limit),
    extensionsUsed: num(r.extensions_used),
    submissionId: optStr(r.submission_id),
    sentAt: num(r.sent_at),
    updatedAt: num(r.updated_at),
    submitDeadline: optNum(r.submit_deadline),
    historyKid: optStr(r.history_kid),
    stateTimes: JSON.parse(typeof r.state_times === 'string' ? r.state_times : '{}') as InvitationRow['stateTimes'],
  };
}
function toOtk(r: Raw): OtkRow {
  return {
    hash: str(r.hash),
    action: str(r.action) as OtkRow['action'],
    siteId: str(r.site_id),
    resourceId: str(r.resource_id),
    subject: str(r.subject),
    createdAt: num(r.created_at),
    expiresAt: num(r.expires_at),
    usedAt: optNum(r.used_at),
  };
}
function toSubmission(r: Raw): SubmissionRow {
  return {
    id: str(r.id),
    siteId: str(r.site_id),
    invitationId: str(r.invitation_id),
    formRef: str(r.form_ref),
    keyId: optStr(r.key_id),
    iv: optBuf(r.iv),
    ciphertext: optBuf(r.ciphertext),
    tag: optBuf(r.tag),
    fieldIds: str(r.field_ids),
    hints: str(r.hints),
    offTheRecordPresent: num(r.off_the_record_present) === 1,
    offTheRecordExpiresAt: optNum(r.off_the_record_expires_at),
    submittedAt: num(r.submitted_at),
    purgeAfter: num(r.purge_after),
  };
}

/** The queue order of a conversation state (the expression of index conversations_queue). */
const QUEUE_RANK = `(CASE state WHEN 'waiting' THEN 0 WHEN 'active' THEN 1 ELSE 2 END)`;
const RANK = { waiting: 0, active: 1, closed: 2 } as const;

export class SqliteStore implements Store {
  private readonly s;

  private readonly busyDeadlineMs: number;

  /**
   * Opens the store on `db`: WAL, foreign keys, the migrations (waiting synchronously for the lock
   * at start, before anything is served), then `busy_timeout = 0`: from here on a statement that
   * meets another connection's write lock is retried asynchronously (see {@link whileBusy}) for up
   * to `busyDeadlineMs`, so that a held lock never freezes the event loop.
   */
  constructor(
    private readonly db: Database,
    options: { busyDeadlineMs?: number } = {},
  ) {
    this.busyDeadlineMs = options.busyDeadlineMs ?? DEFAULT_BUSY_DEADLINE_MS;
    configure(db);
    migrate(db);
    db.pragma('busy_timeout = 0');
    this.s = {
      insertOperator: db.prepare(
        `INSERT INTO operators (id, site_id, username, display_name, role, permissions, password_hash, failed_logins, locked_at, created_at, profile, totp_secret, totp_last_step)
         VALUES (@id, @siteId, @username, @displayName, @role, @permissions, @passwordHash, @failedLogins, @lockedAt, @createdAt, @profile, @totpSecret, @totpLastStep)`,
      ),
      operatorByUsername: db.prepare('SELECT * FROM operators WHERE site_id = ? AND username = ?'),
      operator: db.prepare('SELECT * FROM operators WHERE id = ?'),
      setPassword: db.prepare('UPDATE operators SET password_hash = ? WHERE id = ?'),
      // A free slot in this cycle, or a lock (or a full count left by a crashed process) that has
      // run out, which starts a new cycle at 1.
      countAttempt: db.prepare(
        `UPDATE operators SET
           failed_logins = CASE WHEN locked_at IS NOT NULL OR failed_logins >= @threshold THEN 1 ELSE failed_logins + 1 END,
           locked_at = NULL,
           login_attempt_at = @now
         WHERE id = @id AND (
           (locked_at IS NULL AND failed_logins < @threshold)
           OR COALESCE(locked_at, login_attempt_at, 0) <= @now - @lockMs
         )
         RETURNING *`,
      ),
      lockAfterFailure: db.prepare('UPDATE operators SET locked_at = ? WHERE id = ? AND locked_at IS NULL AND failed_logins >= ?'),
      revokeOperatorSessions: db.prepare('UPDATE sessions SET revoked_at = ? WHERE operator_id = ? AND revoked_at IS NULL'),
      uncountAttempt: db.prepare(
        'UPDATE operators SET failed_logins = failed_logins - 1 WHERE id = ? AND failed_logins > 0 AND locked_at IS NULL',
      ),
      clearCountUnlessLocked: db.prepare('UPDATE operators SET failed_logins = 0 WHERE id = ? AND locked_at IS NULL'),
      passwordHistory: db.prepare(
        'SELECT password_hash FROM password_history WHERE operator_id = ? ORDER BY replaced_at DESC, rowid DESC LIMIT ?',
      ),
      replacePassword: db.prepare(
        'UPDATE operators SET password_hash = @newHash, failed_logins = 0 WHERE id = @operatorId AND password_hash = @oldHash AND locked_at IS NULL',
      ),
      addPasswordHistory: db.prepare('INSERT INTO password_history (operator_id, password_hash, replaced_at) VALUES (?, ?, ?)'),
      trimPasswordHistory: db.prepare(
        `DELETE FROM password_history WHERE operator_id = @operatorId AND rowid NOT IN
           (SELECT rowid FROM password_history WHERE operator_id = @operatorId ORDER BY replaced_at DESC, rowid DESC LIMIT @keep)`,
      ),
      revokeOtherSessions: db.prepare(
        'UPDATE sessions SET revoked_at = ? WHERE operator_id = ? AND token_hash <> ? AND revoked_at IS NULL',
      ),
      enableOperator: db.prepare('UPDATE operators SET failed_logins = 0, locked_at = NULL WHERE id = ? RETURNING *'),
      setProfile: db.prepare('UPDATE operators SET role = ?, profile = ?, permissions = ?, display_name = ? WHERE id = ?'),
      setTotp: db.prepare('UPDATE operators SET totp_secret = ?, totp_last_step = NULL WHERE id = ?'),
      acceptTotp: db.prepare('UPDATE operators SET totp_last_step = ? WHERE id = ? AND (totp_last_step IS NULL OR totp_last_step < ?)'),
      operators: db.prepare('SELECT * FROM operators WHERE site_id = ? ORDER BY created_at, rowid'),
      operatorsWithTotp: db.prepare('SELECT * FROM operators WHERE totp_secret IS NOT NULL'),
      rewrapTotp: db.prepare('UPDATE operators SET totp_secret = ? WHERE id = ?'),
      transfer: db.prepare(`UPDATE conversations SET assigned_agent_id = ?, state = 'active' WHERE id = ? AND state <> 'closed'`),
      addWatcher: db.prepare('INSERT OR IGNORE INTO conversation_watchers (conversation_id, operator_id, joined_at) VALUES (?, ?, ?)'),
      watchers: db.prepare('SELECT operator_id FROM conversation_watchers WHERE conversation_id = ? ORDER BY joined_at'),
      setSubmitDeadline: db.prepare('UPDATE invitations SET submit_deadline = ? WHERE id = ?'),
      stampState: db.prepare(
        `UPDATE invitations SET state_times = json_set(state_times, '$.' || ?, ?) WHERE id = ? AND json_extract(state_times, '$.' || ?) IS NULL`,
      ),
      setHistoryKid: db.prepare('UPDATE invitations SET history_kid = ? WHERE id = ?'),
      finishInvitation: db.prepare(
        `UPDATE invitations SET state = ?, updated_at = ? WHERE id = ? AND submission_id IS NULL AND state IN ('sent', 'opened') RETURNING *`,
      ),
      openInvitations: db.prepare(`SELECT * FROM invitations WHERE state IN ('sent', 'opened') AND submission_id IS NULL`),
      invitationsByConversation: db.prepare('SELECT * FROM invitations WHERE conversation_id = ? ORDER BY sent_at, rowid'),
      allSubmissions: db.prepare('SELECT * FROM submissions ORDER BY rowid'),
      submissionKeys: db.prepare('SELECT id, key_id FROM submissions ORDER BY rowid'),
      rewrap: db.prepare('UPDATE submissions SET key_id = @keyId, iv = @iv, ciphertext = @ciphertext, tag = @tag WHERE id = @id'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),
      insertSession: db.prepare(
        `INSERT INTO sessions (token_hash, operator_id, site_id, created_at, last_seen_at, expires_at, revoked_at)
         VALUES (@tokenHash, @operatorId, @siteId, @createdAt, @lastSeenAt, @expiresAt, @revokedAt)`,
      ),
      session: db.prepare('SELECT * FROM sessions WHERE token_hash = ?'),
      touchSession: db.prepare('UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?'),
      revokeSession: db.prepare('UPDATE sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL'),
      insertConversation: db.prepare(
        `INSERT INTO conversations (id, site_id, token_hash, state, visitor_name, assigned_agent_id, created_at, closed_at)
         VALUES (@id, @siteId, @tokenHash, @state, @visitorName, @assignedAgentId, @createdAt, @closedAt)`,
      ),
      conversation: db.prepare('SELECT * FROM conversations WHERE id = ?'),
      conversations: db.prepare('SELECT * FROM conversations WHERE site_id = ? ORDER BY created_at, rowid'),
      assign: db.prepare(
        `UPDATE conversations SET state = 'active', assigned_agent_id = ?
         WHERE id = ? AND (state = 'waiting' OR (state = 'active' AND assigned_agent_id = ?))`,
      ),
      close: db.prepare(`UPDATE conversations SET state = 'closed', closed_at = ? WHERE id = ? AND state <> 'closed'`),
      insertMessage: db.prepare(
        `INSERT INTO messages (id, conversation_id, at, kind, from_role, author_name, text, invitation_id, form_title, state)
         VALUES (@id, @conversationId, @at, @kind, @from, @authorName, @text, @invitationId, @formTitle, @state)`,
      ),
      messages: db.prepare('SELECT * FROM messages WHERE conversation_id = ? ORDER BY seq'),
      insertInvitation: db.prepare(
        `INSERT INTO invitations (id, site_id, conversation_id, agent_id, form_id, form_version, public_key, state, opens, open_limit, extensions_used, submission_id, sent_at, updated_at, submit_deadline, history_kid, state_times)
         VALUES (@id, @siteId, @conversationId, @agentId, @formId, @formVersion, @publicKey, @state, @opens, @openLimit, @extensionsUsed, @submissionId, @sentAt, @updatedAt, @submitDeadline, @historyKid, @stateTimes)`,
      ),
      invitation: db.prepare('SELECT * FROM invitations WHERE id = ?'),
      countOpen: db.prepare(
        `UPDATE invitations SET opens = opens + 1, updated_at = ?,
           state = CASE WHEN state = 'sent' THEN 'opened' ELSE state END
         WHERE id = ? AND opens < open_limit AND submission_id IS NULL AND state IN ('sent', 'opened')
         RETURNING *`,
      ),
      setInvitationState: db.prepare('UPDATE invitations SET state = ?, updated_at = ? WHERE id = ?'),
      // The state (when @set) and the time it was first entered: one UPDATE of the row, not two.
      recordState: db.prepare(
        `UPDATE invitations SET
           state = CASE WHEN @set THEN @state ELSE state END,
           updated_at = CASE WHEN @set THEN @at ELSE updated_at END,
           state_times = CASE WHEN json_extract(state_times, '$.' || @state) IS NULL
             THEN json_set(state_times, '$.' || @state, @at) ELSE state_times END
         WHERE id = @id`,
      ),
      // An open counted, the view key's window, and (from sent) the time it was first opened: one UPDATE.
      countOpenWithWindow: db.prepare(
        `UPDATE invitations SET opens = opens + 1, updated_at = @now,
           state = CASE WHEN state = 'sent' THEN 'opened' ELSE state END,
           submit_deadline = CASE WHEN submit_deadline IS NULL OR submit_deadline < @deadline THEN @deadline ELSE submit_deadline END,
           state_times = CASE WHEN state = 'sent' AND json_extract(state_times, '$.opened') IS NULL
             THEN json_set(state_times, '$.opened', @now) ELSE state_times END
         WHERE id = @id AND opens < open_limit AND submission_id IS NULL AND state IN ('sent', 'opened')
         RETURNING *`,
      ),
      // A key's window, and the history key id when one is given: one UPDATE.
      extendWindow: db.prepare(
        `UPDATE invitations SET
           submit_deadline = CASE WHEN submit_deadline IS NULL OR submit_deadline < @deadline THEN @deadline ELSE submit_deadline END,
           history_kid = COALESCE(@historyKid, history_kid)
         WHERE id = @id`,
      ),
      useExtension: db.prepare(
        'UPDATE invitations SET extensions_used = extensions_used + 1, updated_at = ? WHERE id = ? AND extensions_used < ? AND submission_id IS NULL',
      ),
      insertOtk: db.prepare(
        `INSERT INTO one_time_keys (hash, action, site_id, resource_id, subject, created_at, expires_at, used_at)
         VALUES (@hash, @action, @siteId, @resourceId, @subject, @createdAt, @expiresAt, @usedAt)`,
      ),
      consumeOtk: db.prepare('UPDATE one_time_keys SET used_at = ? WHERE hash = ? AND used_at IS NULL RETURNING *'),
      otk: db.prepare('SELECT * FROM one_time_keys WHERE hash = ?'),
      insertSubmission: db.prepare(
        `INSERT INTO submissions (id, site_id, invitation_id, form_ref, key_id, iv, ciphertext, tag, field_ids, hints, off_the_record_present, off_the_record_expires_at, submitted_at, purge_after)
         VALUES (@id, @siteId, @invitationId, @formRef, @keyId, @iv, @ciphertext, @tag, @fieldIds, @hints, @offTheRecordPresent, @offTheRecordExpiresAt, @submittedAt, @purgeAfter)`,
      ),
      markSubmitted: db.prepare(
        `UPDATE invitations SET submission_id = ?, state = 'submitted', updated_at = ? WHERE id = ? AND submission_id IS NULL`,
      ),
      // Submitted, and the time of it (first time only): one UPDATE.
      markSubmittedAt: db.prepare(
        `UPDATE invitations SET submission_id = @submissionId, state = 'submitted', updated_at = @now,
           state_times = CASE WHEN json_extract(state_times, '$.submitted') IS NULL
             THEN json_set(state_times, '$.submitted', @now) ELSE state_times END
         WHERE id = @id AND submission_id IS NULL`,
      ),
      submission: db.prepare('SELECT * FROM submissions WHERE id = ?'),
      purgeSubmissions: db.prepare('DELETE FROM submissions WHERE purge_after <= ?'),
      purgeOtks: db.prepare('DELETE FROM one_time_keys WHERE expires_at <= ?'),
      purgeSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR revoked_at IS NOT NULL'),
      // The queue, waiting first, then active, then closed; newest first in each (index conversations_queue).
      conversationPage: db.prepare(
        `SELECT * FROM conversations
         WHERE site_id = @siteId AND (@rank IS NULL
           OR ${QUEUE_RANK} > @rank
           OR (${QUEUE_RANK} = @rank AND (created_at < @createdAt OR (created_at = @createdAt AND id < @id))))
         ORDER BY ${QUEUE_RANK}, created_at DESC, id DESC LIMIT @limit`,
      ),
      // Closed long enough, and no form response of theirs still kept (responses have their own retention).
      expiredTranscripts: db.prepare(
        `SELECT id FROM conversations c
         WHERE site_id = ? AND state = 'closed' AND closed_at <= ?
           AND NOT EXISTS (SELECT 1 FROM invitations i JOIN submissions s ON s.invitation_id = i.id WHERE i.conversation_id = c.id)
         LIMIT ?`,
      ),
      deleteMessages: db.prepare('DELETE FROM messages WHERE conversation_id = ?'),
      deleteWatchers: db.prepare('DELETE FROM conversation_watchers WHERE conversation_id = ?'),
      deleteInvitations: db.prepare('DELETE FROM invitations WHERE conversation_id = ?'),
      deleteConversation: db.prepare('DELETE FROM conversations WHERE id = ?'),
    };
  }

  /** One statement, retried while another connection holds the write lock. */
  private do<T>(statement: () => T): Promise<T> {
    return whileBusy(statement, this.busyDeadlineMs);
  }

  /**
   * One transaction, begun IMMEDIATE (the write lock first, so that it never fails half-way for
   * want of it), retried whole while another connection holds the lock.
   */
  private tx<T>(work: () => T): Promise<T> {
    const transaction = this.db.transaction(work);
    return whileBusy(() => transaction.immediate(), this.busyDeadlineMs);
  }

  async insertOperator(row: OperatorRow): Promise<void> {
    await this.do(() => this.s.insertOperator.run({ ...row, permissions: JSON.stringify(row.permissions) }));
  }
  async findOperatorByUsername(siteId: string, username: string): Promise<OperatorRow | undefined> {
    const r = (await this.do(() => this.s.operatorByUsername.get(siteId, username))) as Raw | undefined;
    return r && toOperator(r);
  }
  async findOperator(id: string): Promise<OperatorRow | undefined> {
    const r = (await this.do(() => this.s.operator.get(id))) as Raw | undefined;
    return r && toOperator(r);
  }
  async setPasswordHash(id: string, hash: string): Promise<void> {
    await this.do(() => this.s.setPassword.run(hash, id));
  }
  async countSignInAttempt(id: string, threshold: number, lockMs: number, now: number): Promise<OperatorRow | undefined> {
    const r = (await this.do(() => this.s.countAttempt.get({ id, threshold, lockMs, now }))) as Raw | undefined;
    return r && toOperator(r);
  }
  async lockAfterFailure(id: string, threshold: number, now: number): Promise<boolean> {
    return this.tx(() => {
      if (this.s.lockAfterFailure.run(now, id, threshold).changes !== 1) return false;
      this.s.revokeOperatorSessions.run(now, id);
      return true;
    });
  }
  async uncountSignInAttempt(id: string): Promise<void> {
    await this.do(() => this.s.uncountAttempt.run(id));
  }
  async insertSessionUnlessLocked(row: SessionRow): Promise<boolean> {
    return this.tx(() => {
      if (this.s.clearCountUnlessLocked.run(row.operatorId).changes !== 1) return false;
      this.s.insertSession.run(row);
      return true;
    });
  }
  async listPasswordHistory(id: string, limit: number): Promise<string[]> {
    const rows = (await this.do(() => this.s.passwordHistory.all(id, limit))) as { password_hash: string }[];
    return rows.map((r) => r.password_hash);
  }
  async changePassword(change: {
    operatorId: string;
    oldHash: string;
    newHash: string;
    keep: number;
    keptTokenHash: string;
    now: number;
  }): Promise<boolean> {
    const { operatorId, oldHash, newHash, keep, keptTokenHash, now } = change;
    return this.tx(() => {
      if (this.s.replacePassword.run({ operatorId, oldHash, newHash }).changes !== 1) return false;
      this.s.addPasswordHistory.run(operatorId, oldHash, now);
      this.s.trimPasswordHistory.run({ operatorId, keep });
      this.s.revokeOtherSessions.run(now, operatorId, keptTokenHash);
      return true;
    });
  }
  async enableOperator(id: string): Promise<OperatorRow | undefined> {
    const r = (await this.do(() => this.s.enableOperator.get(id))) as Raw | undefined;
    return r && toOperator(r);
  }
  async setOperatorProfile(
    id: string,
    role: OperatorRow['role'],
    profile: string,
    permissions: OperatorRow['permissions'],
    displayName: string,
  ): Promise<void> {
    await this.do(() => this.s.setProfile.run(role, profile, JSON.stringify(permissions), displayName, id));
  }
  async setTotpSecret(id: string, wrapped: string | null): Promise<void> {
    await this.do(() => this.s.setTotp.run(wrapped, id));
  }
  async acceptTotpStep(id: string, step: number): Promise<boolean> {
    return (await this.do(() => this.s.acceptTotp.run(step, id, step))).changes === 1;
  }
  async rewrapTotpSecrets(rewrap: (row: OperatorRow) => string | null): Promise<number> {
    return this.tx(() => {
      let count = 0;
      for (const raw of this.s.operatorsWithTotp.all() as Raw[]) {
        const next = rewrap(toOperator(raw));
        if (next === null) continue;
        this.s.rewrapTotp.run(next, str(raw.id));
        count++;
      }
      return count;
    });
  }
  async listOperators(siteId: string): Promise<OperatorRow[]> {
    return ((await this.do(() => this.s.operators.all(siteId))) as Raw[]).map(toOperator);
  }
  async transferConversation(id: string, agentId: string): Promise<ConversationRow | undefined> {
    await this.do(() => this.s.transfer.run(agentId, id));
    return this.findConversation(id);
  }
  async addWatcher(conversationId: string, operatorId: string, now: number): Promise<void> {
    await this.do(() => this.s.addWatcher.run(conversationId, operatorId, now));
  }
  async listWatchers(conversationId: string): Promise<string[]> {
    return ((await this.do(() => this.s.watchers.all(conversationId))) as Raw[]).map((r) => str(r.operator_id));
  }
  async setSubmitDeadline(id: string, deadline: number): Promise<void> {
    await this.do(() => this.s.setSubmitDeadline.run(deadline, id));
  }
  async stampInvitationState(id: string, state: InvitationRow['state'], at: number): Promise<void> {
    await this.do(() => this.s.stampState.run(state, at, id, state));
  }
  async setHistoryKid(id: string, kid: string): Promise<void> {
    await this.do(() => this.s.setHistoryKid.run(kid, id));
  }
  async finishInvitation(id: string, state: 'cancelled' | 'expired', now: number): Promise<InvitationRow | undefined> {
    const r = (await this.do(() => this.s.finishInvitation.get(state, now, id))) as Raw | undefined;
    return r && toInvitation(r);
  }
  async listOpenInvitations(): Promise<InvitationRow[]> {
    return ((await this.do(() => this.s.openInvitations.all())) as Raw[]).map(toInvitation);
  }
  async listInvitationsByConversation(conversationId: string): Promise<InvitationRow[]> {
    return ((await this.do(() => this.s.invitationsByConversation.all(conversationId))) as Raw[]).map(toInvitation);
  }
  async listSubmissionIdsByKey(): Promise<{ id: string; keyId: string | null }[]> {
    return ((await this.do(() => this.s.submissionKeys.all())) as Raw[]).map((r) => ({ id: str(r.id), keyId: optStr(r.key_id) }));
  }
  async rewrapAll(
    rewrap: (row: SubmissionRow) => { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } | null,
    meta: { key: string; value: string },
  ): Promise<number> {
    return this.tx(() => {
      let count = 0;
      for (const raw of this.s.allSubmissions.all() as Raw[]) {
        const wrapped = rewrap(toSubmission(raw));
        if (!wrapped) continue;
        this.s.rewrap.run({ id: str(raw.id), ...wrapped });
        count++;
      }
      this.s.setMeta.run(meta.key, meta.value);
      return count;
    });
  }
  async getMeta(key: string): Promise<string | undefined> {
    const r = (await this.do(() => this.s.getMeta.get(key))) as Raw | undefined;
    return r ? str(r.value) : undefined;
  }
  async setMeta(key: string, value: string): Promise<void> {
    await this.do(() => this.s.setMeta.run(key, value));
  }

  async insertSession(row: SessionRow): Promise<void> {
    await this.do(() => this.s.insertSession.run(row));
  }
  async findSession(tokenHash: string): Promise<SessionRow | undefined> {
    const r = (await this.do(() => this.s.session.get(tokenHash))) as Raw | undefined;
    return r && toSession(r);
  }
  async touchSession(tokenHash: string, now: number): Promise<void> {
    await this.do(() => this.s.touchSession.run(now, tokenHash));
  }
  async revokeSession(tokenHash: string, now: number): Promise<void> {
    await this.do(() => this.s.revokeSession.run(now, tokenHash));
  }

  async insertConversation(row: ConversationRow): Promise<void> {
    await this.do(() => this.s.insertConversation.run(row));
  }
  async findConversation(id: string): Promise<ConversationRow | undefined> {
    const r = (await this.do(() => this.s.conversation.get(id))) as Raw | undefined;
    return r && toConversation(r);
  }
  async listConversations(siteId: string): Promise<ConversationRow[]> {
    return ((await this.do(() => this.s.conversations.all(siteId))) as Raw[]).map(toConversation);
  }
  async listConversationPage(siteId: string, limit: number, after?: QueuePosition): Promise<ConversationRow[]> {
    const rows = this.s.conversationPage.all({
      siteId,
      limit,
      rank: after ? RANK[after.state] : null,
      createdAt: after?.createdAt ?? null,
      id: after?.id ?? null,
    }) as Raw[];
    return rows.map(toConversation);
  }
  async purgeTranscripts(siteId: string, closedBefore: number, batch: number): Promise<number> {
    return this.tx(() => {
      const ids = (this.s.expiredTranscripts.all(siteId, closedBefore, batch) as Raw[]).map((r) => str(r.id));
      for (const id of ids) {
        this.s.deleteMessages.run(id);
        this.s.deleteWatchers.run(id);
        this.s.deleteInvitations.run(id);
        this.s.deleteConversation.run(id);
      }
      return ids.length;
    });
  }
  async assignConversation(id: string, agentId: string): Promise<ConversationRow | undefined> {
    await this.do(() => this.s.assign.run(agentId, id, agentId));
    return this.findConversation(id);
  }
  async closeConversation(id: string, now: number): Promise<ConversationRow | undefined> {
    await this.do(() => this.s.close.run(now, id));
    return this.findConversation(id);
  }
  async insertMessage(row: MessageRow): Promise<void> {
    await this.do(() => this.runInsertMessage(row));
  }
  private runInsertMessage(row: MessageRow): void {
    this.s.insertMessage.run({
      id: row.id,
      conversationId: row.conversationId,
      at: row.at,
      kind: row.kind,
      from: row.kind === 'text' ? row.from : null,
      authorName: row.kind === 'text' ? row.authorName : null,
      text: row.kind === 'text' ? row.text : null,
      invitationId: row.kind === 'text' ? null : row.invitationId,
      formTitle: row.kind === 'invitation' ? row.formTitle : null,
      state: row.kind === 'invitation-status' ? row.state : null,
    });
  }
  async listMessages(conversationId: string): Promise<MessageRow[]> {
    return ((await this.do(() => this.s.messages.all(conversationId))) as Raw[]).map(toMessage);
  }

  async insertInvitation(row: InvitationRow, message?: MessageRow): Promise<void> {
    const { stateTimes, ...rest } = row;
    await this.tx(() => {
      this.s.insertInvitation.run({ ...rest, stateTimes: JSON.stringify(stateTimes) });
      if (message) this.runInsertMessage(message);
    });
  }
  async recordInvitationState(
    id: string,
    state: InvitationRow['state'],
    at: number,
    setState: boolean,
    message: MessageRow,
  ): Promise<void> {
    await this.tx(() => {
      this.s.recordState.run({ id, state, at, set: setState ? 1 : 0 });
      this.runInsertMessage(message);
    });
  }
  async openInvitation(
    id: string,
    now: number,
    otk: OtkRow,
    message?: MessageRow,
  ): Promise<{ row: InvitationRow; counted: boolean } | undefined> {
    const r = await this.tx(() => {
      const counted = this.s.countOpenWithWindow.get({ id, now, deadline: otk.expiresAt }) as Raw | undefined;
      if (!counted) return { counted: false as const, raw: this.s.invitation.get(id) as Raw | undefined };
      this.s.insertOtk.run(otk);
      if (message) this.runInsertMessage(message);
      return { counted: true as const, raw: counted };
    });
    return r.raw && { row: toInvitation(r.raw), counted: r.counted };
  }
  async insertInvitationOtk(otk: OtkRow, invitationId: string, historyKid?: string): Promise<void> {
    await this.tx(() => {
      this.s.insertOtk.run(otk);
      this.s.extendWindow.run({ id: invitationId, deadline: otk.expiresAt, historyKid: historyKid ?? null });
    });
  }
  async findInvitation(id: string): Promise<InvitationRow | undefined> {
    const r = (await this.do(() => this.s.invitation.get(id))) as Raw | undefined;
    return r && toInvitation(r);
  }
  async countOpen(id: string, now: number): Promise<{ row: InvitationRow; counted: boolean } | undefined> {
    const r = (await this.do(() => this.s.countOpen.get(now, id))) as Raw | undefined;
    if (r) return { row: toInvitation(r), counted: true };
    const row = await this.findInvitation(id);
    return row && { row, counted: false };
  }
  async setInvitationState(id: string, state: InvitationRow['state'], now: number): Promise<void> {
    await this.do(() => this.s.setInvitationState.run(state, now, id));
  }
  async useExtension(id: string, max: number, now: number): Promise<boolean> {
    return (await this.do(() => this.s.useExtension.run(now, id, max))).changes === 1;
  }

  async insertOtk(row: OtkRow): Promise<void> {
    await this.do(() => this.s.insertOtk.run(row));
  }
  async consumeOtk(hash: string, now: number): Promise<OtkRow | undefined> {
    const r = (await this.do(() => this.s.consumeOtk.get(now, hash))) as Raw | undefined;
    return r && toOtk(r);
  }
  async findOtk(hash: string): Promise<OtkRow | undefined> {
    const r = (await this.do(() => this.s.otk.get(hash))) as Raw | undefined;
    return r && toOtk(r);
  }

  async insertSubmission(
    row: SubmissionRow,
    now: number,
    otkHash: string,
    then?: { message: MessageRow; otk: OtkRow },
  ): Promise<'stored' | 'otk-used' | 'otk-expired' | 'already-submitted'> {
    return this.tx(() => {
      const key = this.s.consumeOtk.get(now, otkHash) as Raw | undefined;
      if (!key) return 'otk-used' as const;
      if (num(key.expires_at) <= now) return 'otk-expired' as const;
      const marked = then
        ? this.s.markSubmittedAt.run({ submissionId: row.id, now, id: row.invitationId })
        : this.s.markSubmitted.run(row.id, now, row.invitationId);
      if (marked.changes !== 1) return 'already-submitted' as const;
      this.s.insertSubmission.run({ ...row, offTheRecordPresent: row.offTheRecordPresent ? 1 : 0 });
      if (then) {
        this.runInsertMessage(then.message);
        this.s.insertOtk.run(then.otk);
      }
      return 'stored' as const;
    });
  }
  async findSubmission(id: string): Promise<SubmissionRow | undefined> {
    const r = (await this.do(() => this.s.submission.get(id))) as Raw | undefined;
    return r && toSubmission(r);
  }

  async purge(now: number): Promise<{ submissions: number; otks: number; sessions: number }> {
    return {
      submissions: (await this.do(() => this.s.purgeSubmissions.run(now))).changes,
      // Spent and expired keys: kept a day after expiry so a replay is told OTK_USED, not OTK_INVALID.
      otks: (await this.do(() => this.s.purgeOtks.run(now - 24 * 3600_000))).changes,
      sessions: (await this.do(() => this.s.purgeSessions.run(now))).changes,
    };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
