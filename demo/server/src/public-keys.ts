/**
 * Public keys from the panel (an invitation's key, a manager's one-view key) pass the JWK schema
 * on shape alone: two base64url coordinates. Whether they name a point on P-256 only shows when
 * the key is imported, so it is imported where it is accepted, and refused there with a stable
 * code, rather than fail later (a 500 on sealing, or an invitation no visitor can ever answer).
 */
import { KEY_ALGORITHM, type PublicJwk } from '@secure-forms/shared';
import { importJWK } from 'jose';
import { ApiError } from './http/errors.js';

/** Refuse (400 VALIDATION_FAILED, the field at `path`) a key that is not a point on P-256. */
export async function requireP256Point(jwk: PublicJwk, path = 'publicKey'): Promise<void> {
  try {
    // jose imports through WebCrypto, which checks the point is on the curve.
    await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, KEY_ALGORITHM);
  } catch {
    throw new ApiError('VALIDATION_FAILED', 'The public key is not a point on P-256. Make a new key pair and send it again.', [
      { path, reason: 'not_a_p256_point' },
    ]);
  }
}
