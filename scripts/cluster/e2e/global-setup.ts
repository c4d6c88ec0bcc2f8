/**
 * Engines and a cluster of three instances for the browser round trip; the returned function stops
 * them. The workers learn the demo password and the origins through the environment (set here, in
 * the runner, before they start).
 */
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
    await cluster.stop();
    await database.drop();
    await engines.stop();
  };
}
