import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openTestStore } from '../../test/test-store.js';
import { Vault } from '../vault.js';
import { DataKeyRing } from './data-keys.js';
import { LocalCustody } from './local.js';

const database = () => openTestStore();

describe('the data keys of the vault', () => {
  it('makes a random data key, stores it only wrapped, and unwraps it after a restart', async () => {
    const db = await database();
    const master = randomBytes(32);
    const ring = await DataKeyRing.open(new LocalCustody(master, undefined), db.store, () => 1000);
    expect(await ring.ensure('k1')).toBe('created');
    const key = ring.dataKey('k1');
    const row = (await db.get('SELECT key_id, custody, wrapped, created_at FROM data_keys')) as { wrapped: Buffer; custody: string };
    expect(row).toMatchObject({ key_id: 'k1', custody: 'local', created_at: 1000 });
    expect(row.wrapped.includes(key)).toBe(false);
    const restarted = await DataKeyRing.open(new LocalCustody(master, undefined), db.store, () => 2000);
    expect(await restarted.ensure('k1')).toBe('stored');
    expect(restarted.dataKey('k1').equals(key)).toBe(true);
    // Another master key does not unwrap it.
    const stranger = await DataKeyRing.open(new LocalCustody(randomBytes(32), undefined), db.store, Date.now);
    expect(() => stranger.dataKey('k1')).toThrow(/does not unwrap/);
  });

  it('keeps reading records under a key derived from the master key (data directories from before)', async () => {
    const db = await database();
    const master = randomBytes(32);
    // As the vault wrapped before data keys were stored: HKDF from the master key, key id k1.
    const old = new Vault(master).wrap('{"sealed":true}', 'sub-1', 'demo');
    await db.all(
      "INSERT INTO operators (id, site_id, username, display_name, role, permissions, password_hash, created_at) VALUES ('op', 'demo', 'u', 'U', 'agent', '[]', 'x', 0)",
    );
    await db.all('UPDATE operators SET totp_secret = ? WHERE id = ?', new Vault(master).wrapSecret('SEED', 'op'), 'op');
    const ring = await DataKeyRing.open(new LocalCustody(master, undefined), db.store, Date.now);
    expect(await ring.ensure('k1')).toBe('legacy');
    const vault = new Vault(ring, 'k1');
    expect(vault.unwrap(old, 'sub-1', 'demo')).toBe('{"sealed":true}');
    expect(await db.get('SELECT COUNT(*) AS n FROM data_keys')).toEqual({ n: 0 });
    // A rotation moves to a wrapped key.
    expect(await ring.ensure('k2')).toBe('created');
    expect(vault.unwrap(vault.rewrap(old, 'sub-1', 'demo', 'k2'), 'sub-1', 'demo')).toBe('{"sealed":true}');
  });
});
