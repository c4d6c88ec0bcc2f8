// The globalSetup of the `backend-on-postgres-redis` test project: one private PostgreSQL and one
// Redis for the whole run, handed to the test workers with provide() (vitest-env.ts sets them as
// the environment variables the harness reads). Vitest calls it only when that project has tests
// to run, so `vitest run --project node` starts nothing.
import type { TestProject } from 'vitest/node';
import { startEngines } from './index.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PostgreSQL server where tests may create and drop schemas and databases. */
    testDatabaseUrl: string;
    /** A Redis server without persistence. */
    testRedisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const started = performance.now();
  const engines = await startEngines({ postgres: true, redis: true });
  console.log(`Test engines: PostgreSQL and Redis ready in ${Math.round(performance.now() - started)} ms`);
  project.provide('testDatabaseUrl', engines.databaseUrl!);
  project.provide('testRedisUrl', engines.redisUrl!);
  return () => engines.stop();
}
