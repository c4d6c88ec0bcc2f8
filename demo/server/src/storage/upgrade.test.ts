/**
 * A SQLite data directory made by the earlier migration runner (versions 1–8) opens with the
 * Kysely store in place, every row kept. SQLite only: it is about SQLite files from before.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { legacyMigrate } from './legacy-migrations.fixture.js';
import { LegacySchemaError } from './migrations.js';
import { openStore } from './open.js';

function legacyDatabase(upTo?: number) {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  legacyMigrate(db, upTo);
  return db;
}

describe('a SQLite database from the earlier migration runner', () => {
  it('upgrades in place: every row reads back through the store, and the runner table goes', async () => {
    const db = legacyDatabase();
    db.exec(`
      INSERT INTO operators (id, site_id, username, display_name, role, permissions, password_hash, created_at, profile, totp_secret)
        VALUES ('o1', 'demo', 'alice', 'Alice', 'agent', '["use-secure-form"]', 'scrypt$h', 1, 'agent', '{"k":"k1"}');
      INSERT INTO password_history (operator_id, password_hash, replaced_at) VALUES ('o1', 'scrypt$old', 2);
      INSERT INTO sessions (token_hash, operator_id, site_id, created_at, last_seen_at, expires_at) VALUES ('t1', 'o1', 'demo', 3, 3, 9e12);
      INSERT INTO conversations (id, site_id, token_hash, state, visitor_name, assigned_agent_id, created_at)
        VALUES ('c1', 'demo', 'ct', 'active', 'Vera', 'o1', 4);
      INSERT INTO conversation_watchers (conversation_id, operator_id, joined_at) VALUES ('c1', 'o1', 5);
      INSERT INTO messages (id, conversation_id, at, kind, from_role, author_name, text) VALUES ('m1', 'c1', 6, 'text', 'visitor', 'Vera', 'hello');
      INSERT INTO invitations (id, site_id, conversation_id, agent_id, form_id, form_version, public_key, state, opens, open_limit, sent_at, updated_at, state_times)
        VALUES ('i1', 'demo', 'c1', 'o1', 'card', 1, '{"kty":"EC","crv":"P-256","x":"x","y":"y"}', 'submitted', 1, 3, 7, 8, '{"opened":7,"submitted":8}');
      INSERT INTO one_time_keys (hash, action, site_id, resource_id, subject, created_at, expires_at) VALUES ('h1', 'retrieve', 'demo', 's1', 'o1', 8, 9e12);
      INSERT INTO submissions (id, site_id, invitation_id, form_ref, key_id, iv, ciphertext, tag, field_ids, hints, off_the_record_present, submitted_at, purge_after)
        VALUES ('s1', 'demo', 'i1', 'card@1', 'k1', x'0102', x'0304', x'0506', '{"onTheRecord":["cardNumber"],"offTheRecord":[]}', '{"lastFour":"4242"}', 0, 8, 9e12);
      INSERT INTO meta (key, value) VALUES ('vault.currentKeyId', 'k1');
      INSERT INTO data_keys (key_id, custody, wrapped, created_at) VALUES ('k1', 'local', x'0708', 1);
    `);

    const store = await openStore({ sqlite: db });
    expect(await store.findOperator('o1')).toMatchObject({ username: 'alice', permissions: ['use-secure-form'], totpSecret: '{"k":"k1"}' });
    expect(await store.listPasswordHistory('o1', 4)).toEqual(['scrypt$old']);
    expect(await store.findSession('t1')).toMatchObject({ operatorId: 'o1', revokedAt: null });
    expect(await store.findConversation('c1')).toMatchObject({ state: 'active', assignedAgentId: 'o1' });
    expect(await store.listWatchers('c1')).toEqual(['o1']);
    expect(await store.listMessages('c1')).toEqual([
      { id: 'm1', conversationId: 'c1', at: 6, kind: 'text', from: 'visitor', authorName: 'Vera', text: 'hello' },
    ]);
    expect(await store.findInvitation('i1')).toMatchObject({
      publicKey: { kty: 'EC', crv: 'P-256', x: 'x', y: 'y' },
      stateTimes: { opened: 7, submitted: 8 },
    });
    expect(await store.findOtk('h1')).toMatchObject({ action: 'retrieve', usedAt: null });
    const submission = await store.findSubmission('s1');
    expect(submission).toMatchObject({
      fieldIds: { onTheRecord: ['cardNumber'], offTheRecord: [] },
      hints: { lastFour: '4242' },
      offTheRecordPresent: false,
    });
    expect(submission?.ciphertext).toEqual(Buffer.from([3, 4]));
    expect(await store.getMeta('vault.currentKeyId')).toBe('k1');
    expect(await store.listDataKeys()).toEqual([{ keyId: 'k1', custody: 'local', wrapped: Buffer.from([7, 8]), createdAt: 1 }]);
    // New rows go on as before: a message after the stored one.
    await store.insertMessage({ id: 'm2', conversationId: 'c1', at: 9, kind: 'text', from: 'agent', authorName: 'Alice', text: 'hi' });
    expect((await store.listMessages('c1')).map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'schema_migrations'").get()).toBeUndefined();
    expect(db.prepare('SELECT name FROM kysely_migration ORDER BY name').all()).toEqual([
      { name: '0001-initial' },
      { name: '0002-chat-integration' },
      { name: '0003-webhooks' },
      { name: '0004-passkeys' },
      { name: '0005-single-sign-on' },
    ]);
    await store.close();
  });

  it('refuses, saying what to do, a database the earlier runner left before its last version', async () => {
    const db = legacyDatabase(6);
    await expect(openStore({ sqlite: db })).rejects.toThrow(LegacySchemaError);
    await expect(openStore({ sqlite: db })).rejects.toThrow(/version 6 .* Start the previous release once/);
    // Nothing was changed.
    expect(db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get()).toEqual({ v: 6 });
  });
});
