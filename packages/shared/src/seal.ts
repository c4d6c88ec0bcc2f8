/**
 * Sealing answers without zod, for the form frame, whose bundle budget has no room for a schema
 * library (the frame's other inputs come from its own origin's API, which validated them). jose
 * does all the JWE work, exactly as `sealAnswers` in `envelope.ts` (which checks with zod and
 * then calls this). The one guard kept strict is on the recipient keys: a wrong key there would
 * seal a visitor's answers to someone else, so each is checked member by member (as
 * `publicJwkSchema`, kept equal by a differential test) and then imported with WebCrypto, which
 * refuses a point that is not on P-256.
 */
import { GeneralEncrypt } from 'jose';
import type { EnvelopeBinding, PublicJwk, SealedEnvelope } from './envelope.js';

export const KEY_ALGORITHM = 'ECDH-ES+A256KW';
export const CONTENT_ALGORITHM = 'A256GCM';
/** The longest answer an envelope holds (as `answersSchema`). */
export const MAX_ANSWER_LENGTH = 500;

/** Thrown when an envelope cannot be sealed or opened: wrong key, tampered, or bound elsewhere. */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
}

const COORDINATE = /^[A-Za-z0-9_-]{43}$/;

/** Whether `value` is exactly a public P-256 JWK as `publicJwkSchema` takes it (no `d`, nothing else). */
export function isPublicJwk(value: unknown): value is PublicJwk {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const jwk = value as Record<string, unknown>;
  for (const key of Object.keys(jwk)) if (key !== 'kty' && key !== 'crv' && key !== 'x' && key !== 'y' && key !== 'kid') return false;
  return (
    jwk.kty === 'EC' &&
    jwk.crv === 'P-256' &&
    typeof jwk.x === 'string' &&
    COORDINATE.test(jwk.x) &&
    typeof jwk.y === 'string' &&
    COORDINATE.test(jwk.y) &&
    (jwk.kid === undefined || (typeof jwk.kid === 'string' && jwk.kid.length <= 100))
  );
}

/** A recipient's public key, checked and imported; throws EnvelopeError for anything else. */
export async function importRecipientKey(jwk: unknown): Promise<CryptoKey> {
  if (!isPublicJwk(jwk)) throw new EnvelopeError('the recipient key is not a public P-256 key');
  try {
    return await crypto.subtle.importKey(
      'jwk',
      { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      { name: 'ECDH', namedCurve: 'P-256' },
      true,
      [],
    );
  } catch {
    throw new EnvelopeError('the recipient key is not a point on P-256');
  }
}

const encoder = new TextEncoder();

/** Seal `answers` to every (imported) recipient key, bound to `binding`. */
export async function sealToKeys(
  answers: Readonly<Record<string, string>>,
  recipients: readonly CryptoKey[],
  binding: EnvelopeBinding,
): Promise<SealedEnvelope> {
  if (recipients.length === 0) throw new EnvelopeError('no recipient key');
  for (const value of Object.values(answers)) {
    if (typeof value !== 'string' || value.length > MAX_ANSWER_LENGTH) throw new EnvelopeError('an answer is too long');
  }
  const jwe = new GeneralEncrypt(encoder.encode(JSON.stringify(answers))).setProtectedHeader({
    enc: CONTENT_ALGORITHM,
    sf: { inv: binding.invitationId, site: binding.siteId, form: binding.formRef, part: binding.part },
  });
  for (const key of recipients) jwe.addRecipient(key).setUnprotectedHeader({ alg: KEY_ALGORITHM });
  return (await jwe.encrypt()) as SealedEnvelope;
}
