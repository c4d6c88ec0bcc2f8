import { describe, expect, it } from 'vitest';

// The backend's tests run twice: on SQLite and process memory (`node`), and on the PostgreSQL and
// Redis that scripts/engines starts for the run (`backend-on-postgres-redis`).
describe('the engines the backend tests run on', () => {
  it('are given to the second project only, as the variables the harness reads', ({ task }) => {
    if (task.file.projectName === 'backend-on-postgres-redis') {
      expect(process.env.SECURE_FORMS_TEST_DATABASE_URL).toMatch(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres$/);
      expect(process.env.SECURE_FORMS_TEST_REDIS_URL).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    } else {
      expect(process.env.SECURE_FORMS_TEST_DATABASE_URL).toBeUndefined();
      expect(process.env.SECURE_FORMS_TEST_REDIS_URL).toBeUndefined();
    }
  });
});
