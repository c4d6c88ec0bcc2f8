/**
 * Engines and a cluster of three instances for the browser round trip; the returned function stops
 * them. The workers learn the demo password and the origins through the environment (set here, in
 * the runner, before they start).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startEngines } from '../../engines/index.js';
import { startCluster } from '../cluster.js';
import { freshDatabase } from '../database.js';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const shared = process.env.SECURE_FORMS_TEST_DATABASE_URL;
  const engines = await startEngines({ postgres: !shared, redis: true });
  const database = await freshDatabase(shared ?? engines.databaseUrl!);
  const cluster = await startCluster({
    // Three: a request of a page's own between the spec's probe and the submission still leaves
    // the submission off the agent stream's instance.
    instances: 3,
    portBase: Number(process.env.CLUSTER_E2E_PORT_BASE),
    freeInstancePorts: true,
    databaseUrl: database.url,
    redisUrl: engines.redisUrl!,
  }).catch(async (error: unknown) => {
    await database.drop();
    await engines.stop();
    throw error;
  });
  // e2e/support.ts signs the agent in with it.
  process.env.E2E_DEMO_PASSWORD = cluster.password;
  process.env.CLUSTER_PCI = cluster.pci;
  return async () => {
    // As the end-to-end run's teardown does: no page broke its Content-Security-Policy, which names
    // the PCI origin behind the proxy (SECURE_FORMS_PCI_ORIGIN). Each instance logs the reports it got.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const violations = readdirSync(cluster.dir)
      .filter((name) => /^instance-\d+\.out\.log$/.test(name))
      .flatMap((name) => readFileSync(join(cluster.dir, name), 'utf8').split('\n'))
      .filter((line) => line.includes('"csp violation"'));
    await cluster.stop();
    await database.drop();
    await engines.stop();
    if (violations.length > 0) {
      throw new Error(
        `${violations.length} Content-Security-Policy violation(s) were reported:\n${violations.map((l) => l.slice(0, 300)).join('\n')}`,
      );
    }
  };
}
