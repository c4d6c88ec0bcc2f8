/**
 * The backend's own layer on stored submissions and TOTP seeds: AES-256-GCM under a data key.
 * Data keys come from the key custody (custody/data-keys.ts: random, stored only wrapped); a vault
 * made on a bare master key derives them with HKDF-SHA-256 as before wrapped data keys. Each
 * record stores its key id, so a new key id can be introduced and old records still unwrapped
 * (rotation). The AAD binds the ciphertext to its submission and site: a row copied under another
 * id or site fails to unwrap.
 */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import { legacyDerivedDataKey } from './custody/local.js';
import type { RandomBytes } from './tokens.js';
import { defaultRandom } from './tokens.js';

export interface WrappedRecord {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

/** Where the vault gets the data key of a key id. */
export interface DataKeySource {
  dataKey(keyId: string): Buffer;
  /** Fetch `keyId`'s stored key if this process does not have it yet (another instance made it). */
  load?(keyId: string): Promise<void>;
}

export class Vault {
  private readonly keys: DataKeySource;

  /** `keys`: the data keys (a DataKeyRing), or a bare 32-byte master key to derive them from. */
  constructor(
    keys: DataKeySource | Buffer,
    public currentKeyId = 'k1',
    private readonly random: RandomBytes = defaultRandom,
  ) {
    if (Buffer.isBuffer(keys)) {
      if (keys.length !== 32) throw new Error('The master key must be 32 bytes.');
      const master = keys;
      const derived = new Map<string, Buffer>();
      this.keys = {
        dataKey(keyId) {
          let key = derived.get(keyId);
          if (!key) derived.set(keyId, (key = legacyDerivedDataKey(master, keyId)));
          return key;
        },
      };
    } else {
      this.keys = keys;
    }
  }

  private dataKey(keyId: string): Buffer {
    return this.keys.dataKey(keyId);
  }

  /**
   * A 32-byte key for keyed hashes used for `purpose`, the same in every instance (HKDF-SHA-256 of
   * the current data key, `purpose` as its info): e.g. to count sign-ins of a typed username in a
   * shared store without storing the typed string. It changes when the data key is rotated.
   */
  derivedKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.dataKey(this.currentKeyId), Buffer.alloc(0), `secure-forms ${purpose}`, 32));
  }

  private static aad(submissionId: string, siteId: string): Buffer {
    return Buffer.from(`${submissionId}\u0000${siteId}`, 'utf8');
  }

  /** Wrap under the current key id (or `keyId`, during rotation). */
  wrap(plaintext: string, submissionId: string, siteId: string, keyId = this.currentKeyId): WrappedRecord {
    const iv = this.random(12);
    const cipher = createCipheriv('aes-256-gcm', this.dataKey(keyId), iv);
    cipher.setAAD(Vault.aad(submissionId, siteId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId, iv, ciphertext, tag: cipher.getAuthTag() };
  }

  unwrap(record: WrappedRecord, submissionId: string, siteId: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.dataKey(record.keyId), record.iv);
    decipher.setAAD(Vault.aad(submissionId, siteId));
    decipher.setAuthTag(record.tag);
    return Buffer.concat([decipher.update(record.ciphertext), decipher.final()]).toString('utf8');
  }

  /**
   * {@link unwrap}, after fetching the record's data key if this process does not have it yet:
   * with several instances on one database, another one may have rotated to a new key id.
   */
  async open(record: WrappedRecord, submissionId: string, siteId: string): Promise<string> {
    await this.keys.load?.(record.keyId);
    return this.unwrap(record, submissionId, siteId);
  }

  /** {@link unwrapSecret}, after fetching its data key if needed (as {@link open}). */
  async openSecret(serialized: string, owner: string): Promise<string> {
    const { k } = JSON.parse(serialized) as { k: string };
    await this.keys.load?.(k);
    return this.unwrapSecret(serialized, owner);
  }

  /** Re-wrap a record under the current key id, or `keyId` (rotation). */
  rewrap(record: WrappedRecord, submissionId: string, siteId: string, keyId = this.currentKeyId): WrappedRecord {
    return this.wrap(this.unwrap(record, submissionId, siteId), submissionId, siteId, keyId);
  }

  /** A small secret (a TOTP seed) wrapped and serialized, bound to `owner`. */
  wrapSecret(secret: string, owner: string): string {
    const w = this.wrap(secret, owner, 'secret');
    return JSON.stringify({ k: w.keyId, i: w.iv.toString('base64'), c: w.ciphertext.toString('base64'), t: w.tag.toString('base64') });
  }

  unwrapSecret(serialized: string, owner: string): string {
    const o = JSON.parse(serialized) as { k: string; i: string; c: string; t: string };
    return this.unwrap(
      { keyId: o.k, iv: Buffer.from(o.i, 'base64'), ciphertext: Buffer.from(o.c, 'base64'), tag: Buffer.from(o.t, 'base64') },
      owner,
      'secret',
    );
  }
}

/** The next key id after `keyId` (k1 -> k2). */
export function nextKeyId(keyId: string): string {
  const n = /^k(\d+)$/.exec(keyId);
  return `k${n ? Number(n[1]) + 1 : 2}`;
}

export const VAULT_KEY_META = 'vault.currentKeyId';
