// The essential-work floor of a round trip: routes that do, per round trip, only the irreducible
// durable work of the product, in the same SQLite configuration as the server (better-sqlite3, WAL,
// synchronous = NORMAL, foreign keys on, and no answer to a write before an fdatasync of the log
// that covers its commit, shared by the commits made while the previous one ran), one commit per
// request: store the invitation; count the open (an UPDATE of the invitation's opens, refused at
// its limit) and issue the submit key in one transaction; spend the submit key, store the
// submission and issue the retrieve key in one transaction; spend the retrieve key. A key is stored
// as its SHA-256 hash and spent atomically (one UPDATE ... RETURNING). There is no view key: the
// frame opens the form and views it in one request, so the open hands out the submit key itself.
// No sessions, no audit, no logging, no events, no chat: the product's time per round trip is
// compared with this.
//
//   POST /essential/invitations                      -> 201 { id }
//   POST /essential/invitations/:id/view             -> 200 { invitationId, submitOtk, opensLeft },
//                                                       409 once the open limit is reached (or no such invitation)
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
/** How many times a visitor may open a form: the product's default (a form's openLimit). */
const OPEN_LIMIT = 3;
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
    CREATE TABLE invitations (id TEXT PRIMARY KEY, public_key TEXT NOT NULL, sent_at INTEGER NOT NULL,
      opens INTEGER NOT NULL DEFAULT 0, open_limit INTEGER NOT NULL);
    CREATE TABLE one_time_keys (hash TEXT PRIMARY KEY, action TEXT NOT NULL, resource_id TEXT NOT NULL,
      expires_at INTEGER NOT NULL, used_at INTEGER);
    CREATE TABLE submissions (id TEXT PRIMARY KEY, invitation_id TEXT NOT NULL UNIQUE REFERENCES invitations(id),
      envelopes TEXT NOT NULL, submitted_at INTEGER NOT NULL);
  `);
  const insertInvitation = db.prepare('INSERT INTO invitations (id, public_key, sent_at, open_limit) VALUES (?, ?, ?, ?)');
  const countOpen = db.prepare(
    'UPDATE invitations SET opens = opens + 1 WHERE id = ? AND opens < open_limit RETURNING open_limit - opens AS opens_left',
  );
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
  /** `result`, once the write that made it (one statement, or one transaction) has been counted as a commit. */
  const committed = (result) => {
    commits++;
    return result;
  };

  /** A fresh key for `action` on `resourceId`, stored (as its hash) by the caller's transaction. */
  const newKey = (action, resourceId) => {
    const key = randomBytes(32).toString('base64url');
    insertKey.run(hash(key), action, resourceId, Date.now() + KEY_TTL_MS);
    return key;
  };
  /** The resource of `key` for `action`, spent by this call; undefined when it is no such key, spent or expired. */
  const spend = (key, action) => {
    const now = Date.now();
    return key ? spendKey.get(now, hash(key), action, now)?.resource_id : undefined;
  };
  const keyOf = (c) => /^OTK (\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1];
  const refused = (c) => c.json({ error: { code: 'OTK_INVALID' } }, 401);
  // The open counted and the submit key stored together: an open over the limit stores no key.
  const open = db.transaction((invitationId) => {
    const counted = countOpen.get(invitationId);
    return counted && { invitationId, submitOtk: newKey('submit', invitationId), opensLeft: counted.opens_left };
  });
  // The submit key spent, the submission and the retrieve key stored together: a refused key stores nothing.
  const submit = db.transaction((key, invitationId, envelopes) => {
    if (spend(key, 'submit') !== invitationId) return undefined;
    const submissionId = randomUUID();
    insertSubmission.run(submissionId, invitationId, envelopes, Date.now());
    return { submissionId, retrieveOtk: newKey('retrieve', submissionId) };
  });

  app.post('/essential/invitations', async (c) => {
    const body = await c.req.json();
    const id = randomUUID();
    committed(insertInvitation.run(id, JSON.stringify(body.publicKey), Date.now(), OPEN_LIMIT));
    await durable();
    return c.json({ id }, 201);
  });
  app.post('/essential/invitations/:id/view', async (c) => {
    const opened = committed(open(c.req.param('id')));
    await durable();
    return opened ? c.json(opened) : c.json({ error: { code: 'OPEN_LIMIT_REACHED' } }, 409);
  });
  app.post('/essential/submissions', async (c) => {
    const { invitationId, ...envelopes } = await c.req.json();
    const submitted = committed(submit(keyOf(c), invitationId, JSON.stringify(envelopes)));
    await durable();
    return submitted ? c.json(submitted, 201) : refused(c);
  });
  app.post('/essential/submissions/:id/retrieve', async (c) => {
    const id = c.req.param('id');
    const spent = committed(spend(keyOf(c), 'retrieve')) === id;
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
