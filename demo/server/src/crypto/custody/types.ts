/**
 * Key custody: who holds the keys that open stored answers. The vault and the history view go
 * through this interface only, so the keys can live in files beside the demo (`local`) or inside
 * an HSM that speaks PKCS#11 (`pkcs11`), where they are generated non-extractable and used in place.
 *
 * Two operations need a custody key:
 * - data keys: random 256-bit AES keys, one per key id, made by the custody and stored only
 *   wrapped under its wrapping key; the vault keeps the unwrapped key in process memory only;
 * - the history key agreement: ECDH between a site's history private key and the ephemeral key
 *   (`epk`) of an ECDH-ES+A256KW recipient, turned into that recipient's key-encryption key.
 */
import type { AgreementHeader, PublicJwk } from '@secure-forms/shared';

export type { AgreementHeader };

/** The name of a custody provider, also stored beside each wrapped data key. */
export type CustodyKind = 'local' | 'pkcs11';

/** A new data key: its value (kept in memory only) and its wrapped form (stored). */
export interface NewDataKey {
  key: Buffer;
  wrapped: Buffer;
}

/** Where the keys that open stored answers are held. */
export interface KeyCustody {
  readonly kind: CustodyKind;
  /** A fresh random 256-bit data key, made by the custody, with its wrapped form. */
  newDataKey(): NewDataKey;
  /** The data key inside `wrapped`; throws when it was not wrapped by this custody. */
  unwrapDataKey(wrapped: Buffer): Buffer;
  /**
   * The data key of a key id from before wrapped data keys (HKDF from the master key), or
   * undefined when this custody has no master key to derive it from.
   */
  legacyDataKey(keyId: string): Buffer | undefined;
  /** The public half of a site's history key, with its kid (JWK thumbprint); made on first use. */
  historyPublicKey(siteId: string): Promise<PublicJwk>;
  /** The A256KW key-encryption key of one ECDH-ES+A256KW recipient sealed to the site's history key. */
  historyKek(siteId: string, header: AgreementHeader): Promise<Uint8Array>;
  /** Release the custody (log out of the token). */
  close(): void;
}

/** A custody that cannot be used as configured; the message says what to change. */
export class CustodyError extends Error {
  override readonly name = 'CustodyError';
}
