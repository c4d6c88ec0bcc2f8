/**
 * Off-the-record envelopes (the sealed CVV): memory only, per-entry TTL, bounded in count, gone on
 * restart. Never written to disk or log. When full, expired entries go first, then the oldest.
 *
 * An envelope leaves once: `take` returns it and leaves a tombstone in its place, in one step, so
 * of any number of concurrent retrieves exactly one gets it and the others learn it was handed
 * out. The tombstone lives until the entry's deadline; after that the entry is gone and reads as
 * expired. The interface is asynchronous and shaped for a shared store: in Redis, `put` is
 * `SET key value PX ttl` and `take` is `SET key <tombstone> KEEPTTL GET` (atomic; a missing key
 * is expired, the tombstone is handed out).
 */
import type { SealedEnvelope } from '@secure-forms/shared';

interface Entry {
  /** `null` once handed out: the tombstone. */
  envelope: SealedEnvelope | null;
  expiresAt: number;
}

/** What `take` found: the envelope (now deleted), or why there is none. */
export type Taken = { state: 'available'; envelope: SealedEnvelope; expiresAt: number } | { state: 'handed-out' } | { state: 'expired' };

/**
 * How often `put` sweeps expired entries at most (besides when the store is full, and the purge
 * job): a sweep walks every entry (about 100 µs at 10,000), too much for every submission.
 */
const SWEEP_EVERY_MS = 1000;

export class OffTheRecordStore {
  private readonly entries = new Map<string, Entry>();
  private nextSweepAt = 0;

  constructor(
    private readonly clock: () => number,
    private readonly maxEntries: number,
  ) {}

  /** Hold `envelope` for `ttlMs`; returns its deadline (epoch ms). */
  put(submissionId: string, envelope: SealedEnvelope, ttlMs: number): Promise<number> {
    if (this.entries.size >= this.maxEntries || this.clock() >= this.nextSweepAt) this.sweep();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const expiresAt = this.clock() + ttlMs;
    this.entries.set(submissionId, { envelope, expiresAt });
    return Promise.resolve(expiresAt);
  }

  /**
   * Return the envelope and delete it, atomically: nothing awaits between the read and the delete,
   * so no other request can read it in between. Later calls answer `handed-out` until the
   * deadline, then `expired`.
   */
  take(submissionId: string): Promise<Taken> {
    const entry = this.entries.get(submissionId);
    if (!entry) return Promise.resolve({ state: 'expired' });
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(submissionId);
      return Promise.resolve({ state: 'expired' });
    }
    const { envelope, expiresAt } = entry;
    if (!envelope) return Promise.resolve({ state: 'handed-out' });
    entry.envelope = null;
    return Promise.resolve({ state: 'available', envelope, expiresAt });
  }

  /** Drop every expired entry (values and tombstones). */
  sweep(): void {
    const now = this.clock();
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
  }

  /** How many envelopes are held (tombstones not counted). */
  get size(): number {
    let n = 0;
    for (const entry of this.entries.values()) if (entry.envelope) n++;
    return n;
  }

  clear(): void {
    this.entries.clear();
  }
}
