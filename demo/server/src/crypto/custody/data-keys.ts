/**
 * The data keys of the vault: each key id's key is made by the custody, stored only wrapped (the
 * `data_keys` table) and kept unwrapped in process memory only. Key ids with no stored key are
 * from before wrapped data keys: the local custody still derives those from its master key, so old
 * data directories keep opening, and `rotate-key` moves their records to a wrapped key.
 */
import type { DataKeyTable } from '../../storage/data-keys.js';
import { CustodyError, type KeyCustody } from './types.js';

/** How a key id's data key is held. */
export type DataKeyState = 'created' | 'stored' | 'legacy';

export class DataKeyRing {
  private readonly cache = new Map<string, Buffer>();

  constructor(
    private readonly custody: KeyCustody,
    private readonly table: DataKeyTable,
    private readonly clock: () => number,
  ) {}

  /** The data key of `keyId`, unwrapped by the custody on first use. */
  dataKey(keyId: string): Buffer {
    const cached = this.cache.get(keyId);
    if (cached) return cached;
    const row = this.table.get(keyId);
    let key: Buffer | undefined;
    if (row) {
      if (row.custody !== this.custody.kind) {
        throw new CustodyError(
          `Data key ${keyId} was wrapped by the ${row.custody} key custody, but this server uses ${this.custody.kind}: start it with the key custody this data directory was made with.`,
        );
      }
      key = this.custody.unwrapDataKey(row.wrapped);
    } else {
      key = this.custody.legacyDataKey(keyId);
    }
    if (!key) {
      throw new CustodyError(
        `Records under key ${keyId} were wrapped with a key derived from a local master key, which the ${this.custody.kind} key custody does not have. Run rotate-key with the local custody first.`,
      );
    }
    if (key.length !== 32) throw new CustodyError(`Data key ${keyId} is not 256 bits.`);
    this.cache.set(keyId, key);
    return key;
  }

  /**
   * Make sure `keyId` has a data key before records are wrapped under it: a new one from the
   * custody, stored wrapped, unless the key id already has one, or records from before wrapped
   * data keys use it (then it stays derived: local custody only).
   */
  ensure(keyId: string): DataKeyState {
    if (this.table.get(keyId)) return 'stored';
    if (this.table.hasRecordsUnder(keyId)) {
      this.dataKey(keyId); // the local custody derives it; any other refuses here, with the reason
      return 'legacy';
    }
    const { key, wrapped } = this.custody.newDataKey();
    if (!this.table.insert({ keyId, custody: this.custody.kind, wrapped, createdAt: this.clock() })) return 'stored';
    this.cache.set(keyId, key);
    return 'created';
  }
}
