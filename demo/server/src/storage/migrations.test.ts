import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { legacyMigrate as migrate } from './legacy-migrations.fixture.js';

// The earlier SQLite runner's migrations 7 and 8 (kept as a fixture, so that its databases can be
// tested upgrading: upgrade.test.ts). SQLite only: that runner never ran on anything else.
describe('the messages table migration', () => {
  it('keeps every line and its order, and stops writing sqlite_sequence and a unique index per line', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 6);
    db.prepare(
      "INSERT INTO conversations (id, site_id, token_hash, state, visitor_name, created_at) VALUES ('c1', 'demo', 'h', 'waiting', 'V', 0)",
    ).run();
    const insert = db.prepare(
      "INSERT INTO messages (id, conversation_id, at, kind, from_role, author_name, text) VALUES (?, 'c1', ?, 'text', 'visitor', 'V', ?)",
    );
    for (let i = 0; i < 5; i++) insert.run(`m${i}`, i, `line ${i}`);
    const before = db.prepare('SELECT * FROM messages ORDER BY seq').all();

    migrate(db);
    expect(db.prepare('SELECT * FROM messages ORDER BY seq').all()).toEqual(before);
    const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = 'messages'").get() as { sql: string }).sql;
    expect(sql).not.toMatch(/AUTOINCREMENT/i);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages'").all()).toEqual([
      { name: 'messages_conversation' },
    ]);
    // A new line goes after every stored one.
    insert.run('m5', 5, 'line 5');
    const seqs = (db.prepare("SELECT seq FROM messages WHERE conversation_id = 'c1' ORDER BY seq").all() as { seq: number }[]).map(
      (r) => r.seq,
    );
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect(db.prepare('SELECT id FROM messages ORDER BY seq DESC LIMIT 1').get()).toEqual({ id: 'm5' });
    expect(db.prepare("SELECT seq FROM sqlite_sequence WHERE name = 'messages'").get()).toBeUndefined();
  });
});

describe('the password history migration', () => {
  it('adds an empty history beside every stored operator, keeping the operators as they were', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, 7);
    db.prepare(
      `INSERT INTO operators (id, site_id, username, display_name, role, permissions, password_hash, created_at)
       VALUES ('o1', 'demo', 'alice', 'Alice', 'agent', '[]', 'scrypt$h', 0)`,
    ).run();
    const before = db.prepare('SELECT * FROM operators').all();
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'password_history'").get()).toBeUndefined();

    migrate(db);
    expect(db.prepare('SELECT * FROM operators').all()).toEqual(before);
    expect(db.prepare('SELECT * FROM password_history').all()).toEqual([]);
    db.prepare("INSERT INTO password_history (operator_id, password_hash, replaced_at) VALUES ('o1', 'scrypt$old', 1)").run();
    // A history row belongs to an operator that exists.
    expect(() =>
      db.prepare("INSERT INTO password_history (operator_id, password_hash, replaced_at) VALUES ('nobody', 'scrypt$x', 1)").run(),
    ).toThrow(/FOREIGN KEY/);
  });
});
