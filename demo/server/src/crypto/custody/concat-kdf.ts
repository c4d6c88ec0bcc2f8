/**
 * The Concat KDF of JWA (RFC 7518 §4.6.2) for ECDH-ES, written here by hand because the history
 * private key may live in an HSM: jose (like WebCrypto) needs the private key as a CryptoKey to do
 * ECDH-ES itself, so the custody does the ECDH and this KDF, and jose is handed the resulting
 * key-encryption key as an A256KW recipient (see openAnswersWithAgreement in the shared envelope).
 * The PKCS#11 custody feeds the same bytes to the token's SHA-256 around the shared secret
 * (C_DigestKey) so the secret never leaves the token; the local custody hashes in process.
 *
 * For a key of at most 256 bits one SHA-256 block is enough:
 *   KEK = SHA-256( 00000001 || Z || OtherInfo )[0 .. keydatalen)
 *   OtherInfo = len(AlgorithmID) || AlgorithmID || len(apu) || apu || len(apv) || apv || keydatalen
 * with 32-bit big-endian lengths, AlgorithmID the `alg` value ("ECDH-ES+A256KW") and keydatalen
 * in bits. Tested against RFC 7518 Appendix C and against jose's own ECDH-ES+A256KW output.
 */
import { createHash } from 'node:crypto';

/** The round counter of the single block, 00000001. */
export const CONCAT_KDF_COUNTER = Buffer.from([0, 0, 0, 1]);

function lengthPrefixed(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}

/**
 * OtherInfo for `algorithm` (the `alg` of key agreement with key wrapping, or `enc` for direct
 * agreement) with the base64url `apu`/`apv` of the header, for a key of `keyBits` bits.
 */
export function concatKdfOtherInfo(algorithm: string, keyBits: number, apu?: string, apv?: string): Buffer {
  if (keyBits <= 0 || keyBits > 256 || keyBits % 8 !== 0) throw new RangeError('one SHA-256 block gives 8 to 256 bits');
  const suppPubInfo = Buffer.alloc(4);
  suppPubInfo.writeUInt32BE(keyBits);
  return Buffer.concat([
    lengthPrefixed(Buffer.from(algorithm, 'ascii')),
    lengthPrefixed(Buffer.from(apu ?? '', 'base64url')),
    lengthPrefixed(Buffer.from(apv ?? '', 'base64url')),
    suppPubInfo,
  ]);
}

/** The derived key from the shared secret `z` (software path: the local custody). */
export function concatKdf(z: Buffer, otherInfo: Buffer, keyBits: number): Buffer {
  return createHash('sha256')
    .update(CONCAT_KDF_COUNTER)
    .update(z)
    .update(otherInfo)
    .digest()
    .subarray(0, keyBits / 8);
}
