/**
 * Three instances of the built server started at the same moment on one fresh data directory (the
 * local key custody, SQLite): all three start, share one master key and one history key per site,
 * serve the same records, and each writes its own audit file under its instance id.
 */
import { CONVERSATION_HEADER } from '@secure-forms/shared';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startBuiltServer, stopBuiltServers } from './test/built-server.js';

const dirs: string[] = [];
afterEach(() => {
  stopBuiltServers();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

// The spawned server runs on its own SQLite data directory whatever the test project: running it
// again in the PostgreSQL-and-Redis project would test nothing more.
const ON_ENGINES = process.env.SECURE_FORMS_TEST_DATABASE_URL !== undefined;

describe.skipIf(ON_ENGINES)('three server processes on one data directory', () => {
  it('start together, share the keys and the records, and keep separate audit files', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sf-shared-'));
    dirs.push(dir);
    const instances = await Promise.all(['pci-a', 'pci-b', 'pci-c'].map((id) => startBuiltServer({ SECURE_FORMS_INSTANCE_ID: id }, dir)));
    for (const instance of instances) {
      const ready = await fetch(`http://127.0.0.1:${instance.pciPort}/readyz`);
      expect(ready.status).toBe(200);
    }
    // A conversation started on each instance is known to the next one.
    for (const [i, instance] of instances.entries()) {
      const started = (await (
        await fetch(`http://127.0.0.1:${instance.pciPort}/v1/conversations`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ siteId: 'demo', visitorName: 'Vera' }),
        })
      ).json()) as { conversationId: string; conversationToken: string };
      const next = instances[(i + 1) % instances.length]!;
      const messages = await fetch(`http://127.0.0.1:${next.pciPort}/v1/conversations/${started.conversationId}/messages`, {
        headers: { [CONVERSATION_HEADER]: started.conversationToken },
      });
      expect(messages.status).toBe(200);
    }
    const files = readdirSync(dir).sort();
    expect(files.filter((f) => f.startsWith('history-key-') || f === 'master.key')).toEqual(['history-key-demo.jwk', 'master.key']);
    await Promise.all(
      instances.map((instance) => {
        instance.child.kill('SIGTERM');
        return instance.exited;
      }),
    );
    expect(
      readdirSync(dir)
        .filter((f) => f.startsWith('audit-'))
        .map((f) => f.replace(/\d{4}-\d{2}-\d{2}/, 'DAY'))
        .sort(),
    ).toEqual(['audit-DAY.pci-a.log', 'audit-DAY.pci-b.log', 'audit-DAY.pci-c.log']);
  });
});
