import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DataKeyTable } from '../../storage/data-keys.js';
import { migrate } from '../../storage/sqlite.js';
import { Vault } from '../vault.js';
import { DataKeyRing } from './data-keys.js';
import { LocalCustody } from './local.js';

function database() {
  const db = new Database(':memory:');
  migrate(db);
  return db;
}

describe('the data keys of the vault', () => {
  it('makes a random data key, stores it only wrapped, and unwraps it after a restart', () => {
    const db = database();
    const master = randomBytes(32);
    const ring = new DataKeyRing(new LocalCustody(master, undefined), new DataKeyTable(db), () => 1000);
    expect(ring.ensure('k1')).toBe('created');
    const key = ring.dataKey('k1');
    const row = db.prepare('SELECT key_id, custody, wrapped, created_at FROM data_keys').get() as { wrapped: Buffer; custody: string };
    expect(row).toMatchObject({ key_id: 'k1', custody: 'local', created_at: 1000 });
    expect(row.wrapped.includes(key)).toBe(false);
    const restarted = new DataKeyRing(new LocalCustody(master, undefined), new DataKeyTable(db), () => 2000);
    expect(restarted.ensure('k1')).toBe('stored');
    expect(restarted.dataKey('k1').equals(key)).toBe(true);
    // Another master key does not unwrap it.
    expect(() => new DataKeyRing(new LocalCustody(randomBytes(32), undefined), new DataKeyTable(db), Date.now).dataKey('k1')).toThrow(
      /does not unwrap/,
    );
  });

  it('keeps reading records under a key derived from the master key (data directories from before)', () => {
    const db = database();
    const master = randomBytes(32);
    // As the vault wrapped before data keys were stored: HKDF from the master key, key id k1.
    const old = new Vault(master).wrap('{"sealed":true}', 'sub-1', 'demo');
    db.prepare(
      "INSERT INTO operators (id, site_id, username, display_name, role, permissions, password_hash, created_at) VALUES ('op', 'demo', 'u', 'U', 'agent', '[]', 'x', 0)",
    ).run();
    db.prepare('UPDATE operators SET totp_secret = ? WHERE id = ?').run(new Vault(master).wrapSecret('SEED', 'op'), 'op');
    const ring = new DataKeyRing(new LocalCustody(master, undefined), new DataKeyTable(db), Date.now);
    expect(ring.ensure('k1')).toBe('legacy');
    const vault = new Vault(ring, 'k1');
    expect(vault.unwrap(old, 'sub-1', 'demo')).toBe('{"sealed":true}');
    expect(db.prepare('SELECT COUNT(*) AS n FROM data_keys').get()).toEqual({ n: 0 });
    // A rotation moves to a wrapped key.
    expect(ring.ensure('k2')).toBe('created');
    expect(vault.unwrap(vault.rewrap(old, 'sub-1', 'demo', 'k2'), 'sub-1', 'demo')).toBe('{"sealed":true}');
  });
});
