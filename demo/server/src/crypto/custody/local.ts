/**
 * The local custody, for the demo: keys in files. The master key (SECURE_FORMS_MASTER_KEY or
 * `<keyDir>/master.key`) gives, by HKDF, the wrapping key of the data keys (AES key wrap with
 * padding, RFC 5649, as CKM_AES_KEY_WRAP_PAD does in an HSM) and, for data directories from before
 * wrapped data keys, the old HKDF-derived data keys. History keys are JWK files beside it.
 * Anyone with a copy of these files opens every stored answer: main.ts refuses to start with them
 * inside the data directory unless SECURE_FORMS_ALLOW_LOCAL_KEYS=1.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import type { PublicJwk } from '@secure-forms/shared';
import { LocalHistoryKeys } from './local-history-keys.js';
import { CustodyError, type AgreementHeader, type KeyCustody, type NewDataKey } from './types.js';

/** RFC 5649's alternative initial value, which node's id-aes256-wrap-pad expects as its IV. */
const KWP_IV = Buffer.from('a65959a6', 'hex');

/** The data key of `keyId` as the vault derived it before data keys were wrapped. */
export function legacyDerivedDataKey(master: Buffer, keyId: string): Buffer {
  return Buffer.from(hkdfSync('sha256', master, Buffer.from('secure-forms/vault'), Buffer.from(`data-key:${keyId}`), 32));
}

export class LocalCustody implements KeyCustody {
  readonly kind = 'local';
  private readonly master: Buffer;
  private readonly wrappingKey: Buffer;
  private readonly history: LocalHistoryKeys;

  /** `keyDir`: where history key files are kept; without it, in memory (tests). */
  constructor(masterKey: Buffer, keyDir: string | undefined) {
    if (masterKey.length !== 32) throw new CustodyError('The master key must be 32 bytes.');
    this.master = masterKey;
    // Its own HKDF label: the wrapping key is never one of the old derived data keys.
    this.wrappingKey = Buffer.from(hkdfSync('sha256', masterKey, Buffer.from('secure-forms/custody'), Buffer.from('wrapping-key'), 32));
    this.history = new LocalHistoryKeys(keyDir);
  }

  newDataKey(): NewDataKey {
    const key = randomBytes(32);
    const cipher = createCipheriv('id-aes256-wrap-pad', this.wrappingKey, KWP_IV);
    return { key, wrapped: Buffer.concat([cipher.update(key), cipher.final()]) };
  }

  unwrapDataKey(wrapped: Buffer): Buffer {
    try {
      const decipher = createDecipheriv('id-aes256-wrap-pad', this.wrappingKey, KWP_IV);
      return Buffer.concat([decipher.update(wrapped), decipher.final()]);
    } catch {
      throw new CustodyError(
        'A stored data key does not unwrap with this master key: is it the master key this data directory was made with?',
      );
    }
  }

  legacyDataKey(keyId: string): Buffer {
    return legacyDerivedDataKey(this.master, keyId);
  }

  historyPublicKey(siteId: string): Promise<PublicJwk> {
    return this.history.publicKey(siteId);
  }

  historyKek(siteId: string, header: AgreementHeader): Promise<Uint8Array> {
    return this.history.kek(siteId, header);
  }

  /** The history private key as a non-exportable WebCrypto key: only the local custody has one (tests). */
  historyPrivateKey(siteId: string): Promise<CryptoKey> {
    return this.history.privateKey(siteId);
  }

  close(): void {}
}
