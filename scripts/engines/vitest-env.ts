// A setupFile of the `backend-on-postgres-redis` test project: in each test worker, before the test
// file loads, the engines' URLs from vitest-global-setup.ts become the environment variables that
// the backend's test harness reads (demo/server/src/test/harness.ts). Set here rather than in the
// main process, so the plain `node` project's workers never see them.
import { inject } from 'vitest';

process.env.SECURE_FORMS_TEST_DATABASE_URL = inject('testDatabaseUrl');
process.env.SECURE_FORMS_TEST_REDIS_URL = inject('testRedisUrl');
