/**
 * Counts and samples repeated anonymous refusals: a client that sends the same refused request
 * over and over (same action, reason and address) gets its first few lines written in full and
 * then one summary line per window with the count, instead of one line per request. Successes,
 * refusals of a known actor, and each new kind of refusal are always written in full.
 *
 * Written by hand: what counts as "the same refusal" is this product's audit rule.
 */
import type { AuditEntry, AuditSink } from './audit.js';

export interface SamplerOptions {
  /** How long one count runs before its summary line is written. */
  windowMs?: number;
  /** Lines written in full per key and window before counting starts. */
  fullLines?: number;
  /** Keys tracked at once; past it, the oldest key's summary is written early. */
  maxKeys?: number;
}

interface Count {
  since: number;
  written: number;
  suppressed: number;
  /** The first suppressed entry: the summary line repeats its action, reason, address, site. */
  sample: AuditEntry | null;
}

/** A sink that samples repeated anonymous refusals before they reach `inner`. */
export class SampledAuditSink implements AuditSink {
  private readonly counts = new Map<string, Count>();
  private readonly windowMs: number;
  private readonly fullLines: number;
  private readonly maxKeys: number;
  private nextSweep = 0;

  constructor(
    private readonly inner: AuditSink,
    private readonly clock: () => number,
    options: SamplerOptions = {},
  ) {
    this.windowMs = options.windowMs ?? 60_000;
    this.fullLines = options.fullLines ?? 5;
    this.maxKeys = options.maxKeys ?? 10_000;
  }

  write(entry: AuditEntry): void {
    const now = this.clock();
    if (now >= this.nextSweep) this.flush(false);
    if (entry.outcome !== 'refused' || entry.actor !== 'anonymous') return this.inner.write(entry);
    const key = `${entry.action}\u0000${entry.reason ?? ''}\u0000${entry.address ?? ''}`;
    let count = this.counts.get(key);
    if (count && now - count.since >= this.windowMs) {
      this.summarise(count);
      this.counts.delete(key);
      count = undefined;
    }
    if (!count) {
      if (this.counts.size >= this.maxKeys) this.evictOldest();
      count = { since: now, written: 0, suppressed: 0, sample: null };
      this.counts.set(key, count);
    }
    if (count.written < this.fullLines) {
      count.written++;
      return this.inner.write(entry);
    }
    count.suppressed++;
    count.sample ??= entry;
  }

  /** Write the summary of every window that has ended (or of all, with `all`). */
  flush(all = true): void {
    const now = this.clock();
    this.nextSweep = now + Math.min(this.windowMs, 1000);
    for (const [key, count] of this.counts) {
      if (!all && now - count.since < this.windowMs) continue;
      this.summarise(count);
      this.counts.delete(key);
    }
  }

  writable(): boolean {
    return this.inner.writable?.() ?? true;
  }

  purge(before: number): Promise<number> {
    this.flush(false);
    return this.inner.purge?.(before) ?? Promise.resolve(0);
  }

  async close(): Promise<void> {
    this.flush(true);
    await this.inner.close?.();
  }

  private evictOldest(): void {
    const [key, count] = this.counts.entries().next().value!;
    this.summarise(count);
    this.counts.delete(key);
  }

  private summarise(count: Count): void {
    if (count.suppressed === 0 || !count.sample) return;
    const { sample } = count;
    this.inner.write({
      at: new Date(this.clock()).toISOString(),
      action: sample.action,
      outcome: 'refused',
      actor: 'anonymous',
      ...(sample.reason ? { reason: sample.reason } : {}),
      ...(sample.address ? { address: sample.address } : {}),
      ...(sample.siteId ? { siteId: sample.siteId } : {}),
      ...(sample.method ? { method: sample.method } : {}),
      ...(sample.path ? { path: sample.path } : {}),
      ...(sample.pathTruncated ? { pathTruncated: true as const } : {}),
      repeated: count.suppressed,
      since: new Date(count.since).toISOString(),
    });
  }
}
