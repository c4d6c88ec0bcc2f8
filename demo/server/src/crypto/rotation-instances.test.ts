/**
 * Several instances on one database: after one instance rotates the data key, another that
 * started before it still opens the re-wrapped records and TOTP seeds (it fetches the new wrapped
 * key from the store on first use instead of deriving a wrong one).
 */
import { describe, expect, it } from 'vitest';
import { createApp } from '../app.js';
import { memoryAuditSink } from '../audit/audit.js';
import { createLogger } from '../logger.js';
import { demoSite, Sites } from '../sites/index.js';
import { retrieve, submitted } from '../test/flows.js';
import { harness, PCI } from '../test/harness.js';

describe('data key rotation by another instance', () => {
  it('leaves this instance able to open the records and TOTP seeds re-wrapped under the new key', async () => {
    const h = await harness();
    const t = await submitted(h);
    // A second instance on the same store and key custody (the same master key).
    const other = await createApp({
      store: h.app.store,
      clock: h.now,
      config: { sites: new Sites([demoSite(8080)]), pciOrigin: PCI, brandSiteId: 'demo' },
      masterKey: h.masterKey,
      paths: { frameDist: '/x', pagesDist: '/x', loaderDist: '/x', panelDist: '/x' },
      audit: memoryAuditSink(),
      logger: createLogger({ level: 'silent' }),
    });
    expect(await other.rotateKey()).toEqual({ keyId: 'k2', rewrapped: 1 });

    const res = await retrieve(h, t.submissionId, t.retrieveOtk, t.alice.headers);
    expect(res.status).toBe(200);
    // ada's TOTP seed is under k2 now too: this instance checks her code with it.
    expect((await h.session('ada')).token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
