/**
 * The data keys of the vault: each key id's key is made by the custody, stored only wrapped (the
 * `data_keys` table) and kept unwrapped in process memory only. Key ids with no stored key are
 * from before wrapped data keys: the local custody still derives those from its master key, so old
 * data directories keep opening, and `rotate-key` moves their records to a wrapped key.
 */
import type { DataKeyRow, Store } from '../../storage/types.js';
import { CustodyError, type KeyCustody } from './types.js';

/** Where the wrapped data keys are stored. */
export type DataKeyTable = Pick<Store, 'listDataKeys' | 'insertDataKey' | 'hasRecordsUnder'>;

/** How a key id's data key is held. */
export type DataKeyState = 'created' | 'stored' | 'legacy';

export class DataKeyRing {
  private readonly cache = new Map<string, Buffer>();

  /** The stored (wrapped) data keys, read at start: the vault unwraps synchronously, the store answers asynchronously. */
  private stored = new Map<string, DataKeyRow>();

  private constructor(
    private readonly custody: KeyCustody,
    private readonly table: DataKeyTable,
    private readonly clock: () => number,
  ) {}

  /** The ring over the data keys stored in `table`. */
  static async open(custody: KeyCustody, table: DataKeyTable, clock: () => number): Promise<DataKeyRing> {
    const ring = new DataKeyRing(custody, table, clock);
    await ring.reload();
    return ring;
  }

  /** Read the stored data keys again (another instance may have added one). */
  async reload(): Promise<void> {
    this.stored = new Map((await this.table.listDataKeys()).map((row) => [row.keyId, row]));
  }

  /** Read the stored keys again if `keyId` is not among them (another instance may have stored it). */
  async load(keyId: string): Promise<void> {
    if (!this.cache.has(keyId) && !this.stored.has(keyId)) await this.reload();
  }

  /** The data key of `keyId`, unwrapped by the custody on first use. */
  dataKey(keyId: string): Buffer {
    const cached = this.cache.get(keyId);
    if (cached) return cached;
    const row = this.stored.get(keyId);
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
  async ensure(keyId: string): Promise<DataKeyState> {
    if (!this.stored.has(keyId)) await this.reload();
    if (this.stored.has(keyId)) return 'stored';
    if (await this.table.hasRecordsUnder(keyId)) {
      this.dataKey(keyId); // the local custody derives it; any other refuses here, with the reason
      return 'legacy';
    }
    const { key, wrapped } = this.custody.newDataKey();
    const row = { keyId, custody: this.custody.kind, wrapped, createdAt: this.clock() };
    if (!(await this.table.insertDataKey(row))) {
      // Another instance stored one first: use that one.
      await this.reload();
      return 'stored';
    }
    this.stored.set(keyId, row);
    this.cache.set(keyId, key);
    return 'created';
  }
}
