/**
 * Key rotation, run by `cli.js rotate-key`: a new data key from the custody, then every stored
 * record and TOTP seed re-wrapped under it.
 */
import type { DataKeyRing } from '../crypto/custody/data-keys.js';
import { nextKeyId, VAULT_KEY_META, type Vault } from '../crypto/vault.js';
import type { Logger } from '../logger.js';
import type { Store } from '../storage/types.js';

export interface RotateKeyDeps {
  store: Store;
  vault: Vault;
  dataKeys: DataKeyRing;
  logger: Logger;
}

/** Re-wrap every stored record under a new data key id; returns the new id and the count. */
export async function rotateKey({ store, vault, dataKeys, logger }: RotateKeyDeps): Promise<{ keyId: string; rewrapped: number }> {
  const keyId = nextKeyId(vault.currentKeyId);
  // A new data key from the custody, stored wrapped before any record is wrapped under it.
  await dataKeys.ensure(keyId);
  const rewrapped = await store.rewrapAll(
    (row) => {
      if (!row.keyId || !row.iv || !row.ciphertext || !row.tag) return null;
      return vault.rewrap({ keyId: row.keyId, iv: row.iv, ciphertext: row.ciphertext, tag: row.tag }, row.id, row.siteId, keyId);
    },
    { key: VAULT_KEY_META, value: keyId },
  );
  vault.currentKeyId = keyId;
  // TOTP seeds are wrapped by the same vault: move them to the new key id too.
  await store.rewrapTotpSecrets((row) => (row.totpSecret ? vault.wrapSecret(vault.unwrapSecret(row.totpSecret, row.id), row.id) : null));
  logger.info({ keyId, rewrapped }, 'data key rotated');
  return { keyId, rewrapped };
}
