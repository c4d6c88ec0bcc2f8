// The essential-work floor of a round trip: routes that do, per round trip, only the irreducible
// durable work of the product, in the same SQLite configuration as the server (better-sqlite3, WAL,
// synchronous = NORMAL, foreign keys on, and no answer to a write before an fdatasync of the log
// that covers its commit, shared by the commits made while the previous one ran): store the
// invitation; issue three one-time keys (stored as SHA-256 hashes) and spend each atomically (one
// UPDATE ... RETURNING); store the submission in the same transaction that spends the submit key.
// No sessions, no audit, no logging, no events, no chat: the product's time per round trip is
// compared with this.
//
//   POST /essential/invitations                      -> 201 { id }
//   POST /essential/invitations/:id/open             -> 200 { viewOtk }
//   POST /essential/forms/view      (view key)       -> 200 { invitationId, submitOtk }
//   POST /essential/submissions     (submit key)     -> 201 { submissionId, retrieveOtk }
//   POST /essential/submissions/:id/retrieve (key)   -> 200 the stored envelopes
//
// Plain JavaScript on purpose, not TypeScript like the rest of the bench: this file runs inside a
// measured process (bare-server.mjs, started with plain `node`); a TypeScript loader (tsx) there
// would add about 27 MB of RSS and 1.5 s of start-up to what the bench measures.
import Database from 'better-sqlite3';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { closeSync, fdatasync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const KEY_TTL_MS = 60_000;
const hash = (key) => createHash('sha256').update(key).digest('base64url');

/** Mount the essential routes on `app` (a Hono app), on a fresh database file; `close()` removes it. */
export function essentialRoutes(app) {
  const dir = mkdtempSync(join(tmpdir(), 'secure-forms-bench-essential-'));
  const file = join(dir, 'essential.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.exec(`
    CREATE TABLE invitations (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, sent_at INTEGER NOT NULL);
    CREATE TABLE one_time_keys (hash TEXT PRIMARY KEY, action TEXT NOT NULL, resource_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL, used_at INTEGER);
    CREATE TABLE submissions (id TEXT PRIMARY KEY, invitation_id TEXT NOT NULL UNIQUE REFERENCES invitations(id),
      envelopes TEXT NOT NULL, submitted_at INTEGER NOT NULL);
  `);
  const insertInvitation = db.prepare('INSERT INTO invitations (id, public_key, sent_at) VALUES (?, ?, ?)');
  const insertKey = db.prepare('INSERT INTO one_time_keys (hash, action, resource_id, expires_at) VALUES (?, ?, ?, ?)');
  const spendKey = db.prepare(
    'UPDATE one_time_keys SET used_at = ? WHERE hash = ? AND action = ? AND used_at IS NULL AND expires_at > ? RETURNING resource_id',
  );
  const insertSubmission = db.prepare('INSERT INTO submissions (id, invitation_id, envelopes, submitted_at) VALUES (?, ?, ?, ?)');
  const submission = db.prepare('SELECT envelopes FROM submissions WHERE id = ?');

  // As the server's durable-commits.ts: commits counted, and a write answered once a sync of the
  // log that started after its commit has ended (one sync at a time, covering every commit before it).
  const wal = openSync(`${file}-wal`, 'r');
  let commits = 0;
  let synced = 0;
  let running;
  const syncOnce = () => {
    const covers = commits;
    return new Promise((resolve, reject) => fdatasync(wal, (error) => (error ? reject(error) : resolve()))).then(() => {
      synced = Math.max(synced, covers);
      running = undefined;
    });
  };
  const durable = async () => {
    const target = commits;
    while (synced < target) await (running ??= syncOnce());
  };
  /** `result`, once the write that made it has been counted as a commit. */
  const committed = (result) => {
    commits++;
    return result;
  };

  const issue = (action, resourceId) => {
    const key = randomBytes(32).toString('base64url');
    committed(insertKey.run(hash(key), action, resourceId, Date.now() + KEY_TTL_MS));
    return key;
  };
  const spend = (c, action) => {
    const key = /^OTK (\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
    const now = Date.now();
    return key ? committed(spendKey.get(now, hash(key), action, now))?.resource_id : undefined;
  };
  const refused = (c) => c.json({ error: { code: 'OTK_INVALID' } }, 401);
  const submit = db.transaction((c, invitationId, envelopes) => {
    if (spend(c, 'submit') !== invitationId) return undefined;
    const id = randomUUID();
    insertSubmission.run(id, invitationId, envelopes, Date.now());
    return id;
  });

  app.post('/essential/invitations', async (c) => {
    const body = await c.req.json();
    const id = randomUUID();
    committed(insertInvitation.run(id, JSON.stringify(body.publicKey), Date.now()));
    await durable();
    return c.json({ id }, 201);
  });
  app.post('/essential/invitations/:id/open', async (c) => {
    const viewOtk = issue('view', c.req.param('id'));
    await durable();
    return c.json({ viewOtk });
  });
  app.post('/essential/forms/view', async (c) => {
    const invitationId = spend(c, 'view');
    const submitOtk = invitationId && issue('submit', invitationId);
    await durable();
    return invitationId ? c.json({ invitationId, submitOtk }) : refused(c);
  });
  app.post('/essential/submissions', async (c) => {
    const { invitationId, ...envelopes } = await c.req.json();
    const submissionId = committed(submit(c, invitationId, JSON.stringify(envelopes)));
    const retrieveOtk = submissionId && issue('retrieve', submissionId);
    await durable();
    return submissionId ? c.json({ submissionId, retrieveOtk }, 201) : refused(c);
  });
  app.post('/essential/submissions/:id/retrieve', async (c) => {
    const id = c.req.param('id');
    const spent = spend(c, 'retrieve') === id;
    await durable();
    if (!spent) return refused(c);
    return c.body(submission.get(id).envelopes, 200, { 'Content-Type': 'application/json' });
  });
  return {
    close() {
      closeSync(wal);
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
