/**
 * The backend's own layer on stored submissions: AES-256-GCM under a data key derived from the
 * master key with HKDF-SHA-256. Each record stores its key id, so a new key id can be introduced
 * and old records still unwrapped (rotation). The AAD binds the ciphertext to its submission and
 * site: a row copied under another id or site fails to unwrap.
 */
import { createCipheriv, createDecipheriv, hkdfSync } from 'node:crypto';
import type { RandomBytes } from './tokens.js';
import { defaultRandom } from './tokens.js';

export interface WrappedRecord {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

export class Vault {
  private readonly keys = new Map<string, Buffer>();
  private readonly master: Buffer;

  constructor(
    masterKey: Buffer,
    public currentKeyId = 'k1',
    private readonly random: RandomBytes = defaultRandom,
  ) {
    if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes.');
    this.master = masterKey;
  }

  private dataKey(keyId: string): Buffer {
    let key = this.keys.get(keyId);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', this.master, Buffer.from('secure-forms/vault'), Buffer.from(`data-key:${keyId}`), 32));
      this.keys.set(keyId, key);
    }
    return key;
  }

  private static aad(submissionId: string, siteId: string): Buffer {
    return Buffer.from(`${submissionId}\u0000${siteId}`, 'utf8');
  }

  wrap(plaintext: string, submissionId: string, siteId: string): WrappedRecord {
    const iv = this.random(12);
    const cipher = createCipheriv('aes-256-gcm', this.dataKey(this.currentKeyId), iv);
    cipher.setAAD(Vault.aad(submissionId, siteId));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return { keyId: this.currentKeyId, iv, ciphertext, tag: cipher.getAuthTag() };
  }

  unwrap(record: WrappedRecord, submissionId: string, siteId: string): string {
    const decipher = createDecipheriv('aes-256-gcm', this.dataKey(record.keyId), record.iv);
    decipher.setAAD(Vault.aad(submissionId, siteId));
    decipher.setAuthTag(record.tag);
    return Buffer.concat([decipher.update(record.ciphertext), decipher.final()]).toString('utf8');
  }

  /** Re-wrap a record under the current key id (rotation). */
  rewrap(record: WrappedRecord, submissionId: string, siteId: string): WrappedRecord {
    return this.wrap(this.unwrap(record, submissionId, siteId), submissionId, siteId);
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
