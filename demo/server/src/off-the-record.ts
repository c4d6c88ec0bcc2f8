/**
 * Off-the-record envelopes (the sealed CVV): memory only, per-entry TTL, bounded in count, gone on
 * restart. Never written to disk or log. When full, expired entries go first, then the oldest.
 */
import type { SealedEnvelope } from '@secure-forms/shared';

interface Entry {
  envelope: SealedEnvelope;
  expiresAt: number;
}

export class OffTheRecordStore {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly clock: () => number,
    private readonly maxEntries: number,
  ) {}

  put(submissionId: string, envelope: SealedEnvelope, ttlMs: number): number {
    this.sweep();
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    const expiresAt = this.clock() + ttlMs;
    this.entries.set(submissionId, { envelope, expiresAt });
    return expiresAt;
  }

  /** The envelope while its TTL lasts; undefined once expired (and then dropped). */
  get(submissionId: string): SealedEnvelope | undefined {
    const entry = this.entries.get(submissionId);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(submissionId);
      return undefined;
    }
    return entry.envelope;
  }

  /** Drop every expired entry. */
  sweep(): void {
    const now = this.clock();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(id);
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }
}
