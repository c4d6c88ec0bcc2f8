/** Webhook signatures: signed with every secret of a site, verified against one or two, in a replay window. */
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, WebhookVerificationError, type WebhookErrorCode } from './webhooks.js';

const OLD = 'whsec_old_0123456789abcdef0123456789abcdef';
const NEW = 'whsec_new_fedcba9876543210fedcba9876543210';
const BODY = '{"id":"evt_1","type":"invitation.submitted","data":{"invitationId":"i1"}}';
const T = 1_800_000_000;
const NOW = T * 1000;

async function refusal(promise: Promise<unknown>): Promise<WebhookErrorCode> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).code;
}

describe('webhook signatures', () => {
  it('are the hex HMAC-SHA256 of "t.body", one v1 per secret (as an independent HMAC computes it)', async () => {
    const header = await signWebhook([OLD, NEW], BODY, T);
    // Computed once with Node's createHmac('sha256', secret).update(`${T}.${BODY}`).digest('hex').
    const byOld = '2db6d8a217ffd9e369745a71f97b2f847de56ef443bd7e47caea409ec93099d5';
    const byNew = '65ebc5ac53b202b4eb62d23fe106969375dc6fd298784e4f1bee55c49adb1078';
    expect(header).toBe(`t=${T},v1=${byOld},v1=${byNew}`);
    await expect(verifyWebhook(NEW, header, BODY, { now: NOW })).resolves.toEqual({ timestamp: T });
  });

  it('refuses a wrong secret', async () => {
    const header = await signWebhook(OLD, BODY, T);
    expect(await refusal(verifyWebhook('whsec_someone_else', header, BODY, { now: NOW }))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses an altered body, and a re-serialized one', async () => {
    const header = await signWebhook(OLD, BODY, T);
    expect(await refusal(verifyWebhook(OLD, header, BODY.replace('i1', 'i2'), { now: NOW }))).toBe('WEBHOOK_SIGNATURE_INVALID');
    expect(await refusal(verifyWebhook(OLD, header, JSON.stringify(JSON.parse(BODY), null, 1), { now: NOW }))).toBe(
      'WEBHOOK_SIGNATURE_INVALID',
    );
  });

  it('refuses an altered timestamp (the signature covers it)', async () => {
    const header = await signWebhook(OLD, BODY, T);
    expect(await refusal(verifyWebhook(OLD, header.replace(`t=${T}`, `t=${T + 1}`), BODY, { now: NOW }))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses a stale timestamp (a replay outside the window) and one too far in the future', async () => {
    const header = await signWebhook(OLD, BODY, T);
    // Within the default five minutes, either way: accepted.
    await expect(verifyWebhook(OLD, header, BODY, { now: NOW + 300_000 })).resolves.toEqual({ timestamp: T });
    await expect(verifyWebhook(OLD, header, BODY, { now: NOW - 300_000 })).resolves.toEqual({ timestamp: T });
    expect(await refusal(verifyWebhook(OLD, header, BODY, { now: NOW + 301_000 }))).toBe('WEBHOOK_TIMESTAMP_STALE');
    expect(await refusal(verifyWebhook(OLD, header, BODY, { now: NOW - 301_000 }))).toBe('WEBHOOK_TIMESTAMP_STALE');
    expect(await refusal(verifyWebhook(OLD, header, BODY, { now: NOW + 11_000, toleranceSeconds: 10 }))).toBe('WEBHOOK_TIMESTAMP_STALE');
  });

  it('accepts during a rotation with either secret, and refuses a retired one once the backend stops signing with it', async () => {
    const during = await signWebhook([OLD, NEW], BODY, T);
    await expect(verifyWebhook(OLD, during, BODY, { now: NOW })).resolves.toBeDefined();
    await expect(verifyWebhook(NEW, during, BODY, { now: NOW })).resolves.toBeDefined();
    await expect(verifyWebhook([OLD, NEW], during, BODY, { now: NOW })).resolves.toBeDefined();
    const after = await signWebhook(NEW, BODY, T);
    await expect(verifyWebhook([OLD, NEW], after, BODY, { now: NOW })).resolves.toBeDefined();
    expect(await refusal(verifyWebhook(OLD, after, BODY, { now: NOW }))).toBe('WEBHOOK_SIGNATURE_INVALID');
  });

  it('refuses a missing or malformed header', async () => {
    const valid = await signWebhook(OLD, BODY, T);
    for (const header of [undefined, null, '', `t=${T}`, valid.replace(/t=\d+,/, ''), 't=abc,v1=00']) {
      expect(await refusal(verifyWebhook(OLD, header, BODY, { now: NOW })), String(header)).toBe('WEBHOOK_SIGNATURE_MISSING');
    }
    for (const header of [`t=${T},v1=zz`, `t=${T},v1=${'0'.repeat(64)}`, `t=${T},v0=${valid.split('v1=')[1]},v1=`]) {
      expect(await refusal(verifyWebhook(OLD, header, BODY, { now: NOW })), header).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
  });

  it('never puts a secret in its refusal', async () => {
    const error = await verifyWebhook(OLD, await signWebhook(NEW, BODY, T), BODY, { now: NOW }).catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain(OLD);
    expect(JSON.stringify(error)).not.toContain(OLD);
  });
});
