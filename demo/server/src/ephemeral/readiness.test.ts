/** /readyz names Redis among its checks when the ephemeral state is there. */
import { describe, expect, it } from 'vitest';
import { harness } from '../test/harness.js';
import type { RedisEphemeral } from './redis.js';

describe.skipIf(!process.env.SECURE_FORMS_TEST_REDIS_URL)('readiness with the ephemeral state in Redis', () => {
  it('is ready while Redis answers, and 503 naming redis when it does not', async () => {
    const h = await harness();
    const ok = await h.request('/readyz');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ checks: { database: 'ok', redis: 'ok' } });
    (h.app.services.rt.ephemeral as RedisEphemeral).redis.disconnect();
    h.advance(5000);
    const down = await h.request('/readyz');
    expect(down.status).toBe(503);
    const body = (await down.json()) as { checks: Record<string, string>; error: { message: string } };
    expect(body.checks.redis).not.toBe('ok');
    expect(body.checks.database).toBe('ok');
  });
});
