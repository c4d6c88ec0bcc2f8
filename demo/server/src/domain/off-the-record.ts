/**
 * Off-the-record envelopes (the sealed CVV): held in the ephemeral state (this process's memory,
 * or a Redis without persistence), per-entry deadline, never written to disk or log. In memory
 * they are bounded in count (expired entries go first, then the oldest) and gone on restart.
 *
 * An envelope leaves once: `take` returns it and leaves a tombstone in its place, in one step, so
 * of any number of concurrent retrieves (on any instance) exactly one gets it and the others
 * learn it was handed out. The tombstone lives until the entry's deadline; after that the entry
 * is gone and reads as expired.
 */
import type { SealedEnvelope } from '@secure-forms/shared';
import type { OnceStore } from '../ephemeral/types.js';

/** What `take` found: the envelope (now deleted), or why there is none. */
export type Taken = { state: 'available'; envelope: SealedEnvelope; expiresAt: number } | { state: 'handed-out' } | { state: 'expired' };

export class OffTheRecordStore {
  constructor(
    private readonly once: OnceStore,
    private readonly clock: () => number,
  ) {}

  /** Hold `envelope` for `ttlMs`; returns its deadline (epoch ms). */
  async put(submissionId: string, envelope: SealedEnvelope, ttlMs: number): Promise<number> {
    const expiresAt = this.clock() + ttlMs;
    await this.once.put(submissionId, JSON.stringify(envelope), expiresAt);
    return expiresAt;
  }

  /** Forget the entry (a submission that was not stored after all). */
  delete(submissionId: string): Promise<void> {
    return this.once.delete(submissionId);
  }

  /** Return the envelope and leave a tombstone, atomically. Later calls answer `handed-out` until the deadline, then `expired`. */
  async take(submissionId: string): Promise<Taken> {
    const took = await this.once.take(submissionId);
    if (took.state !== 'available') return took;
    return { state: 'available', envelope: JSON.parse(took.value) as SealedEnvelope, expiresAt: took.expiresAt };
  }

  /** Drop every expired entry (values and tombstones). */
  sweep(): Promise<void> {
    return this.once.sweep();
  }

  /** How many envelopes are held (tombstones not counted). */
  count(): Promise<number> {
    return this.once.count();
  }
}
