import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { AccountService } from './accounts/accounts.js';
import { Vault } from './crypto/vault.js';
import { verifyPassword } from './crypto/passwords.js';
import { seedDemo } from './seed.js';
import { demoSite, Sites } from './sites/index.js';
import { SqliteStore } from './storage/sqlite.js';

function setup() {
  const store = new SqliteStore(new Database(':memory:'));
  const accounts = new AccountService(store, new Sites([demoSite(8080)]), Date.now, (n) => Buffer.alloc(n, 1), new Vault(randomBytes(32)));
  return { store, accounts };
}

describe('seedDemo', () => {
  it('generates a password once, then says it was printed before', async () => {
    const { store, accounts } = setup();
    const first = await seedDemo(store, accounts, demoSite(8080), undefined);
    expect(first.password).toBe('generated');
    const generated = first.password === 'generated' ? first.generated : '';
    expect(generated).toMatch(/^[A-Za-z0-9]{20}$/);
    const alice = await store.findOperatorByUsername('demo', 'alice');
    expect(await verifyPassword(generated, alice!.passwordHash)).toBe(true);
    expect(first.totp.map((t) => t.username).sort()).toEqual(['ada', 'max', 'morgan']);
    expect(first.totp[0]?.uri).toMatch(/^otpauth:\/\/totp\//);
    const again = await seedDemo(store, accounts, demoSite(8080), undefined);
    expect(again.password).toBe('printed-before');
    expect(again.totp).toEqual([]);
  });
  it('enrols managers and admins with SECURE_FORMS_DEMO_TOTP_SECRET when one is given', async () => {
    const { store, accounts } = setup();
    const chosen = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const seeded = await seedDemo(store, accounts, demoSite(8080), 'chosen4demo2password', chosen);
    expect(seeded.totp.map((t) => t.username).sort()).toEqual(['ada', 'max', 'morgan']);
    for (const t of seeded.totp) expect(t.uri).toContain(`secret=${chosen}`);
  });
  it('sets (and resets) the password from SECURE_FORMS_DEMO_PASSWORD, refusing a weak one', async () => {
    const { store, accounts } = setup();
    await seedDemo(store, accounts, demoSite(8080), undefined);
    expect((await seedDemo(store, accounts, demoSite(8080), 'chosen4demo2password')).password).toBe('from-env');
    const bob = await store.findOperatorByUsername('demo', 'bob');
    expect(await verifyPassword('chosen4demo2password', bob!.passwordHash)).toBe(true);
    expect(bob).toMatchObject({ displayName: 'Bob Agent', role: 'agent', permissions: ['use-secure-form'] });
    expect((await store.findOperatorByUsername('demo', 'morgan'))?.role).toBe('manager');
    await expect(seedDemo(store, accounts, demoSite(8080), 'short')).rejects.toThrow(/at least 12/);
  });
  it('two instances seeding one database at the same moment: each password is said to be for the operators it was set on', async () => {
    const { store, accounts } = setup();
    const seeds = await Promise.all([
      seedDemo(store, accounts, demoSite(8080), undefined),
      seedDemo(store, accounts, demoSite(8080), undefined),
    ]);
    const claimed: string[] = [];
    for (const seed of seeds) {
      if (seed.password !== 'generated') continue;
      const usernames = seed.only ?? demoSite(8080).operators.map((o) => o.username);
      claimed.push(...usernames);
      for (const username of usernames) {
        const row = await store.findOperatorByUsername('demo', username);
        expect(await verifyPassword(seed.generated, row!.passwordHash), username).toBe(true);
      }
    }
    expect(claimed.sort()).toEqual(
      demoSite(8080)
        .operators.map((o) => o.username)
        .sort(),
    );
  });
});
