/**
 * Webhook signatures: how a brand's chat server checks that a webhook came from its Secure Forms
 * backend, unaltered and recent. The scheme is Stripe's: the header
 * `Secure-Forms-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`, with one
 * `v1` per secret the site holds (two during a rotation), so a receiver that knows either secret
 * accepts it. Web Crypto only (browsers, Node 20, workers); the HMAC comparison is the platform's
 * `subtle.verify`, which runs in constant time.
 */

/** The header that carries the signature. */
export const WEBHOOK_SIGNATURE_HEADER = 'Secure-Forms-Signature';
/** The header that carries the event id: the idempotency key (a retried delivery has the same one). */
export const WEBHOOK_ID_HEADER = 'Secure-Forms-Webhook-Id';
/** The header that carries the event's type (as the body's `type`). */
export const WEBHOOK_EVENT_HEADER = 'Secure-Forms-Webhook-Event';
/** The header that carries the signature's timestamp (unix seconds, as the signature's `t`). */
export const WEBHOOK_TIMESTAMP_HEADER = 'Secure-Forms-Webhook-Timestamp';
/** How old (or how far ahead) a signature's timestamp may be, by default: five minutes. */
export const DEFAULT_WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * Why a webhook was refused (stable codes):
 * - `WEBHOOK_SIGNATURE_MISSING`: no header, or one without a timestamp or a `v1` signature;
 * - `WEBHOOK_SIGNATURE_INVALID`: no `v1` matches the body under any of the secrets (altered body,
 *   wrong or retired secret, forged header);
 * - `WEBHOOK_TIMESTAMP_STALE`: signed, but its timestamp is outside the tolerance (a replay of an
 *   old delivery, or a clock far off): the receiver's replay window.
 */
export const WEBHOOK_ERROR_CODES = ['WEBHOOK_SIGNATURE_MISSING', 'WEBHOOK_SIGNATURE_INVALID', 'WEBHOOK_TIMESTAMP_STALE'] as const;
export type WebhookErrorCode = (typeof WEBHOOK_ERROR_CODES)[number];

/** A refused webhook: `code` says why (never echoes a secret or a signature). */
export class WebhookVerificationError extends Error {
  override readonly name = 'WebhookVerificationError';
  constructor(
    readonly code: WebhookErrorCode,
    message: string,
  ) {
    super(message);
  }
}

function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

const toHex = (bytes: ArrayBuffer) => Array.from(new Uint8Array(bytes), (b) => b.toString(16).padStart(2, '0')).join('');

function fromHex(hex: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[0-9a-f]{64}$/i.test(hex)) return undefined;
  const out = new Uint8Array(32);
  for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

const secretList = (secrets: string | readonly string[]) => (typeof secrets === 'string' ? [secrets] : [...secrets]);

/**
 * The signature header of `rawBody` at `timestampSeconds`: one `v1` per secret, in the order
 * given (the backend signs with every secret the site holds).
 */
export async function signWebhook(secrets: string | readonly string[], rawBody: string, timestampSeconds: number): Promise<string> {
  const payload = new TextEncoder().encode(`${timestampSeconds}.${rawBody}`);
  const signatures = await Promise.all(
    secretList(secrets).map(async (secret) => toHex(await crypto.subtle.sign('HMAC', await hmacKey(secret, 'sign'), payload))),
  );
  return [`t=${timestampSeconds}`, ...signatures.map((s) => `v1=${s}`)].join(',');
}

export interface VerifyWebhookOptions {
  /** How far the timestamp may be from `now`, either way (default {@link DEFAULT_WEBHOOK_TOLERANCE_SECONDS}). */
  toleranceSeconds?: number;
  /** Now, in milliseconds since the epoch (default `Date.now()`). */
  now?: number;
}

/**
 * Check a webhook: `header` is the `Secure-Forms-Signature` header as received, `rawBody` the
 * request body exactly as received (before any JSON parsing: a re-serialized body does not
 * match). Accepts when a `v1` signature matches under one of `secrets` (pass the old and the new
 * secret during a rotation) and the timestamp is within the tolerance; resolves to the timestamp
 * (seconds). Rejects with a {@link WebhookVerificationError} otherwise. Receivers should also
 * drop an event whose id (`Secure-Forms-Webhook-Id`) they have already handled: a retry repeats it.
 */
export async function verifyWebhook(
  secrets: string | readonly string[],
  header: string | null | undefined,
  rawBody: string,
  options: VerifyWebhookOptions = {},
): Promise<{ timestamp: number }> {
  const parts = (header ?? '').split(',').map((p) => p.trim());
  const t = parts.find((p) => p.startsWith('t='))?.slice(2) ?? '';
  const signatures = parts.filter((p) => p.startsWith('v1=')).map((p) => fromHex(p.slice(3)));
  if (!/^\d{1,12}$/.test(t) || signatures.length === 0) {
    throw new WebhookVerificationError(
      'WEBHOOK_SIGNATURE_MISSING',
      `The ${WEBHOOK_SIGNATURE_HEADER} header has no timestamp or no v1 signature.`,
    );
  }
  const keys = secretList(secrets).filter((s) => s.length > 0);
  if (keys.length === 0) throw new TypeError('verifyWebhook needs at least one non-empty secret.');
  const payload = new TextEncoder().encode(`${t}.${rawBody}`);
  let matched = false;
  for (const secret of keys) {
    const key = await hmacKey(secret, 'verify');
    for (const signature of signatures) {
      if (signature && (await crypto.subtle.verify('HMAC', key, signature, payload))) matched = true;
    }
  }
  if (!matched) {
    throw new WebhookVerificationError('WEBHOOK_SIGNATURE_INVALID', 'No signature matches this body under the secrets given.');
  }
  const timestamp = Number(t);
  const tolerance = options.toleranceSeconds ?? DEFAULT_WEBHOOK_TOLERANCE_SECONDS;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - timestamp) > tolerance) {
    throw new WebhookVerificationError(
      'WEBHOOK_TIMESTAMP_STALE',
      `The signature's timestamp is more than ${tolerance} seconds from now: a replayed or delayed delivery, or a clock far off.`,
    );
  }
  return { timestamp };
}
