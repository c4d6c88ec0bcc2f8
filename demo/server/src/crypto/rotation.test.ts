/** Versioned data keys; rotation re-wraps every record; retention purge. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { openStore } from '../storage/open.js';
import { memoryAuditSink } from '../audit/audit.js';
import { createLogger } from '../logger.js';
import { demoSite, Sites } from '../sites/index.js';
import { harness } from '../test/harness.js';
import { code, retrieve, submitted } from '../test/flows.js';

describe('data key rotation', () => {
  it('re-wraps every stored record under the new key id, and retrieval still works', async () => {
    const h = await harness();
    const t = await submitted(h);
    const before = (await h.get('SELECT key_id, ciphertext FROM submissions WHERE id = ?', t.submissionId)) as {
      key_id: string;
      ciphertext: Buffer;
    };
    expect(before.key_id).toBe('k1');
    expect(await h.app.rotateKey()).toEqual({ keyId: 'k2', rewrapped: 1 });
    const after = (await h.get('SELECT key_id, ciphertext FROM submissions WHERE id = ?', t.submissionId)) as {
      key_id: string;
      ciphertext: Buffer;
    };
    expect(after.key_id).toBe('k2');
    expect(after.ciphertext.equals(before.ciphertext)).toBe(false);
    expect(await h.get("SELECT value FROM meta WHERE key = 'vault.currentKeyId'")).toEqual({ value: 'k2' });
    const res = await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    expect(res.status).toBe(200);
    // TOTP seeds move to the new key too, and still work.
    expect(((await h.get("SELECT totp_secret FROM operators WHERE username = 'ada'")) as { totp_secret: string }).totp_secret).toMatch(
      /"k":"k2"/,
    );
    expect((await h.session('ada')).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(await h.app.rotateKey()).toEqual({ keyId: 'k3', rewrapped: 1 });
    // New records use the current key.
    const u = await submitted(h, 'bob');
    expect(((await h.get('SELECT key_id FROM submissions WHERE id = ?', u.submissionId)) as { key_id: string }).key_id).toBe('k3');
  });

  it('reads the current key id back at start', async () => {
    const db = new Database(':memory:');
    const deps = {
      store: await openStore({ sqlite: db }),
      clock: Date.now,
      config: { sites: new Sites([demoSite(8080)]), pciOrigin: 'http://127.0.0.1:8443', brandSiteId: 'demo' },
      masterKey: Buffer.alloc(32, 3),
      paths: { frameDist: '/x', pagesDist: '/x', loaderDist: '/x', panelDist: '/x' },
      audit: memoryAuditSink(),
      logger: createLogger({ level: 'silent' }),
    };
    const first = await createApp(deps);
    await first.rotateKey();
    expect((await createApp(deps)).vault.currentKeyId).toBe('k2');
  });
});

describe('retention', () => {
  it('purges records past the site retention (13 months) on the purge job, and retrieval then fails', async () => {
    const h = await harness();
    const t = await submitted(h);
    h.advance(396 * 24 * 3600_000);
    expect((await h.app.purge()).submissions).toBe(1);
    expect(await h.get('SELECT COUNT(*) AS n FROM submissions')).toEqual({ n: 0 });
    const alice = await h.session('alice');
    expect(await code(await h.request(`/v1/submissions/${t.submissionId}/retrieve-otk`, { method: 'POST', headers: alice.headers }))).toBe(
      'NOT_FOUND',
    );
  });
});
