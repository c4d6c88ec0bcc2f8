import { createPublicKey, randomBytes } from 'node:crypto';
import { generateInvitationKeyPair } from '@secure-forms/shared';
import { describe, expect, it } from 'vitest';
import { Refusal } from './refusal.js';
import { isP256Point, requireP256Point } from './public-keys.js';

const P = 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn;
const b64 = (n: bigint) => Buffer.from(n.toString(16).padStart(64, '0'), 'hex').toString('base64url');
/** What a full key import (OpenSSL, as WebCrypto) says of the same coordinates. */
const imports = (x: string, y: string) => {
  try {
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
};

describe('the P-256 point check', () => {
  it('accepts the public keys the panel makes', async () => {
    for (let i = 0; i < 20; i++) {
      const { publicJwk } = await generateInvitationKeyPair();
      expect(isP256Point(publicJwk)).toBe(true);
    }
  });

  it('agrees with a key import on random and mixed coordinates (off the curve)', async () => {
    const a = await generateInvitationKeyPair();
    const b = await generateInvitationKeyPair();
    const pairs = [
      [a.publicJwk.x, b.publicJwk.y],
      [a.publicJwk.y, a.publicJwk.x],
      [randomBytes(32).toString('base64url'), randomBytes(32).toString('base64url')],
      [b64(0n), b64(0n)],
    ] as const;
    for (const [x, y] of pairs) expect(isP256Point({ kty: 'EC', crv: 'P-256', x, y })).toBe(imports(x, y));
  });

  it('refuses a coordinate not reduced below p, though the equation holds modulo p', () => {
    // A point with a small x (found by a square root mod p, p ≡ 3 mod 4), whose x + p still fits in 32 bytes.
    const pow = (base: bigint, e: bigint) => {
      let r = 1n;
      for (let b = base % P; e > 0n; e >>= 1n, b = (b * b) % P) if (e & 1n) r = (r * b) % P;
      return r;
    };
    const B = 0x5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604bn;
    for (let x = 0n; ; x++) {
      const rhs = (((x * x * x - 3n * x + B) % P) + P) % P;
      const y = pow(rhs, (P + 1n) / 4n);
      if ((y * y) % P !== rhs) continue;
      expect(isP256Point({ kty: 'EC', crv: 'P-256', x: b64(x), y: b64(y) })).toBe(true);
      expect(imports(b64(x), b64(y))).toBe(true);
      expect(isP256Point({ kty: 'EC', crv: 'P-256', x: b64(x + P), y: b64(y) })).toBe(false);
      expect(imports(b64(x + P), b64(y))).toBe(false);
      break;
    }
  });

  it('refuses coordinates that are not 32 bytes of base64url, and other curves', async () => {
    const { publicJwk } = await generateInvitationKeyPair();
    expect(isP256Point({ ...publicJwk, x: publicJwk.x.slice(1) })).toBe(false);
    expect(isP256Point({ ...publicJwk, y: `${publicJwk.y}A` })).toBe(false);
    expect(isP256Point({ ...publicJwk, x: `${publicJwk.x.slice(0, 42)}+` })).toBe(false);
    expect(isP256Point({ ...publicJwk, crv: 'P-384' as 'P-256' })).toBe(false);
  });

  it('refuses with VALIDATION_FAILED naming the field', async () => {
    const a = await generateInvitationKeyPair();
    const b = await generateInvitationKeyPair();
    let error: unknown;
    try {
      requireP256Point({ kty: 'EC', crv: 'P-256', x: a.publicJwk.x, y: b.publicJwk.y }, 'key');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(Refusal);
    expect((error as Refusal).code).toBe('VALIDATION_FAILED');
    expect((error as Refusal).fields).toEqual([{ path: 'key', reason: 'not_a_p256_point' }]);
    expect(() => requireP256Point(a.publicJwk)).not.toThrow();
  });
});
