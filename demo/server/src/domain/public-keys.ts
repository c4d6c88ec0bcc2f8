/**
 * Public keys from the panel (an invitation's key, a manager's one-view key) pass the JWK schema
 * on shape alone: two base64url coordinates. Whether they name a point on P-256 is checked where
 * the key is accepted, and refused there with a stable code, rather than fail later (a 500 on
 * sealing, or an invitation no visitor can ever answer).
 *
 * The check is the curve equation itself, y² = x³ − 3x + b (mod p), with both coordinates below p:
 * what WebCrypto checks when it imports the key (P-256 has cofactor 1, so every affine point on the
 * curve is in the prime-order group, and the point at infinity has no affine coordinates). It takes
 * about 20 µs in BigInt arithmetic, against about 0.5–0.8 ms for a key import (jose's importJWK or
 * node's createPublicKey), which was the largest single cost of sending an invitation.
 */
import type { PublicJwk } from '@secure-forms/shared';
import { Refusal } from './refusal.js';

/** The P-256 field prime and curve constant b (SEC 2, 2.4.2; a = −3). */
const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;

/** A coordinate as an integer, or undefined when it is not 32 bytes of base64url. */
function coordinate(b64url: string): bigint | undefined {
  if (!/^[A-Za-z0-9_-]{43}$/.test(b64url)) return undefined;
  const bytes = Buffer.from(b64url, 'base64url');
  return bytes.length === 32 ? BigInt(`0x${bytes.toString('hex')}`) : undefined;
}

/** Whether (x, y) is an affine point on P-256 with both coordinates reduced below p. */
export function isP256Point(jwk: Pick<PublicJwk, 'kty' | 'crv' | 'x' | 'y'>): boolean {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256') return false;
  const x = coordinate(jwk.x);
  const y = coordinate(jwk.y);
  if (x === undefined || y === undefined || x >= P || y >= P) return false;
  return (y * y - (x * x * x - 3n * x + B)) % P === 0n;
}

/** Refuse (400 VALIDATION_FAILED, the field at `path`) a key that is not a point on P-256. */
export function requireP256Point(jwk: PublicJwk, path = 'publicKey'): void {
  if (!isP256Point(jwk)) {
    throw new Refusal('VALIDATION_FAILED', 'The public key is not a point on P-256. Make a new key pair and send it again.', [
      { path, reason: 'not_a_p256_point' },
    ]);
  }
}
