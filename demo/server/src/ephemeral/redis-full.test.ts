/**
 * A full Redis (maxmemory reached under `noeviction`: every write answered "OOM command not
 * allowed…") on a private Redis of the test's own: a request that needs a write is answered 503
 * SERVICE_BUSY with Retry-After and a next step, logged and audited without a value, and nothing
 * of it is half-written: the same request succeeds once Redis has room again.
 */
import { submitResponseSchema } from '@secure-forms/shared';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEngines, type Engines } from '../../../../scripts/engines/index.js';
import { harness } from '../test/harness.js';
import { openForm, seal, sent, viewForm } from '../test/flows.js';
import type { RedisEphemeral } from './redis.js';

type H = Awaited<ReturnType<typeof harness>>;

/** Fill Redis: from now on it refuses every write (reads still answer), as a full one does. */
async function fill(h: H): Promise<Redis> {
  const redis = (h.app.services.rt.ephemeral as RedisEphemeral).redis.duplicate();
  redis.on('error', () => undefined);
  await redis.config('SET', 'maxmemory-policy', 'noeviction');
  await redis.config('SET', 'maxmemory', '1');
  return redis;
}

/** Give Redis room again. */
async function empty(redis: Redis): Promise<void> {
  await redis.config('SET', 'maxmemory', '0');
  redis.disconnect();
}

/** The 503 a full Redis gets: SERVICE_BUSY, Retry-After, what to do. */
async function expectFull(res: Response): Promise<void> {
  expect(res.status).toBe(503);
  expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
  const body = (await res.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe('SERVICE_BUSY');
  expect(body.error.message).toMatch(/Nothing was (stored|sent)\. .*[Tt]ry again/);
}

// Its own Redis, so that filling it touches no other test; run with the engines' project.
describe.skipIf(!process.env.SECURE_FORMS_TEST_REDIS_URL)('a full Redis', () => {
  let engines: Engines;
  beforeAll(async () => {
    engines = await startEngines({ redis: true });
  }, 60_000);
  afterAll(async () => {
    await engines?.stop();
  });

  it('answers a submission with an off-the-record part 503, stores none of it, and takes the same submission once there is room', async () => {
    const h = await harness({ redisUrl: engines.redisUrl! });
    const s = await sent(h);
    const view = await viewForm(h, (await openForm(h, s.visitor, s.invitation.id)).viewOtk);
    const { body } = await seal(view);
    expect(body.offTheRecord).not.toBeNull();
    const redis = await fill(h);
    const refused = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body });
    await expectFull(refused);
    // Nothing half-written: no submission row, and the submit key is not spent.
    expect(await h.all('SELECT id FROM submissions')).toEqual([]);
    expect(h.audit.entries.filter((e) => e.outcome === 'refused').map((e) => [e.path, e.reason])).toEqual([
      ['/v1/submissions', 'SERVICE_BUSY'],
    ]);
    const logged = h.logLines.join('\n');
    expect(logged).toMatch(/"reason":"redis-full"/);
    for (const secret of [JSON.stringify(body.offTheRecord), view.submitOtk]) expect(logged).not.toContain(secret);
    await empty(redis);
    const again = await h.request('/v1/submissions', { headers: h.otk(view.submitOtk), body });
    expect(again.status).toBe(201);
    const { submissionId } = submitResponseSchema.parse(await again.json());
    expect(await h.all('SELECT id FROM submissions')).toEqual([{ id: submissionId }]);
    expect(await h.app.services.rt.offTheRecord('demo').count()).toBe(1);
  });

  it('answers a request whose rate limit must count it 503 and starts no chat, then starts it once there is room', async () => {
    const h = await harness({ redisUrl: engines.redisUrl! });
    const redis = await fill(h);
    const start = () => h.request('/v1/conversations', { body: { siteId: 'demo', visitorName: 'Vera Visitor' } });
    await expectFull(await start());
    expect(await h.all('SELECT id FROM conversations')).toEqual([]);
    expect(h.audit.entries.filter((e) => e.outcome === 'refused').map((e) => [e.path, e.reason])).toEqual([
      ['/v1/conversations', 'SERVICE_BUSY'],
    ]);
    expect(h.logLines.join('\n')).toMatch(/"reason":"redis-full"/);
    await empty(redis);
    expect((await start()).status).toBe(201);
    expect(await h.all('SELECT id FROM conversations')).toHaveLength(1);
  });
});
