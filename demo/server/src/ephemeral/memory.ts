/**
 * The ephemeral state in this process's memory: the embedded default (one instance, nothing to
 * run beside Node). Everything is bounded in count and gone on restart.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { MemoryEventLog } from '../events/log.js';
import type { EphemeralState, FloodLimiterOptions, OnceStore, SlotLease, StreamSlots, Took, Window, WindowCounters } from './types.js';

/**
 * How often `put` sweeps expired entries at most, full or not: a sweep walks every entry (about
 * 100 µs at 10,000), too much for every put. Between sweeps a full store drops its oldest entry,
 * which is the first to expire when the entries share a lifetime (a site's off-the-record TTL).
 */
const SWEEP_EVERY_MS = 1000;

/** Past this many open windows in one namespace, expired ones are swept, then the oldest dropped. */
const MAX_WINDOWS = 100_000;

class MemoryOnce implements OnceStore {
  /** `value` null once handed out: the tombstone. Map order is insertion order: the oldest first. */
  private readonly entries = new Map<string, { value: string | null; expiresAt: number }>();
  private nextSweepAt = 0;

  constructor(
    private readonly clock: () => number,
    private readonly maxEntries: number,
  ) {}

  put(key: string, value: string, expiresAt: number): Promise<void> {
    if (this.clock() >= this.nextSweepAt) this.sweepNow();
    // Still full: the oldest goes (a bound on memory, whoever fills it).
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt });
    return Promise.resolve();
  }

  /** Nothing awaits between the read and the tombstone, so no other take can come in between. */
  take(key: string): Promise<Took> {
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve({ state: 'expired' });
    if (entry.expiresAt <= this.clock()) {
      this.entries.delete(key);
      return Promise.resolve({ state: 'expired' });
    }
    const { value, expiresAt } = entry;
    if (value === null) return Promise.resolve({ state: 'handed-out' });
    entry.value = null;
    return Promise.resolve({ state: 'available', value, expiresAt });
  }

  peek(key: string): Promise<{ value: string; expiresAt: number } | null> {
    const entry = this.entries.get(key);
    if (!entry || entry.value === null || entry.expiresAt <= this.clock()) return Promise.resolve(null);
    return Promise.resolve({ value: entry.value, expiresAt: entry.expiresAt });
  }

  delete(key: string): Promise<void> {
    this.entries.delete(key);
    return Promise.resolve();
  }

  count(): Promise<number> {
    const now = this.clock();
    let n = 0;
    for (const entry of this.entries.values()) if (entry.value !== null && entry.expiresAt > now) n++;
    return Promise.resolve(n);
  }

  sweep(): Promise<void> {
    this.sweepNow();
    return Promise.resolve();
  }

  private sweepNow(): void {
    const now = this.clock();
    this.nextSweepAt = now + SWEEP_EVERY_MS;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Fixed-window counters of this process alone (what must stay per instance, such as its own log volume). */
export class MemoryWindows implements WindowCounters {
  private readonly windows = new Map<string, { start: number; count: number; windowMs: number }>();

  constructor(private readonly clock: () => number) {}

  hit(key: string, windowMs: number): Promise<Window> {
    const now = this.clock();
    let w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) {
      this.windows.delete(key);
      w = { start: now, count: 0, windowMs };
      this.windows.set(key, w);
    }
    w.count++;
    if (this.windows.size > MAX_WINDOWS) this.trim(now);
    return Promise.resolve({ count: w.count, endsAt: w.start + windowMs });
  }

  peek(key: string, windowMs: number): Promise<Window> {
    const now = this.clock();
    const w = this.windows.get(key);
    if (!w || now - w.start >= windowMs) return Promise.resolve({ count: 0, endsAt: now + windowMs });
    return Promise.resolve({ count: w.count, endsAt: w.start + windowMs });
  }

  hitKnown(key: string, windowMs: number): Promise<Window> {
    const now = this.clock();
    const w = this.windows.get(key);
    // Windows stay in the map after they end (until trimmed): one that ended less than a window ago is known.
    if (!w || now - w.start >= 2 * windowMs) return Promise.resolve({ count: 0, endsAt: now + windowMs });
    return this.hit(key, windowMs);
  }

  private trim(now: number): void {
    // A window is remembered one window past its end (hitKnown reads it), as the Redis script keeps it.
    for (const [key, w] of this.windows) if (now - w.start >= 2 * w.windowMs) this.windows.delete(key);
    // Still too many live windows (a flood of distinct keys): drop the oldest.
    for (const key of this.windows.keys()) {
      if (this.windows.size <= MAX_WINDOWS) break;
      this.windows.delete(key);
    }
  }
}

class MemorySlots implements StreamSlots {
  /** Live slots by key: lease id → holder and deadline. */
  private readonly slots = new Map<string, Map<number, { holder: string; expiresAt: number }>>();
  private nextId = 1;

  constructor(private readonly clock: () => number) {}

  private live(key: string): Map<number, { holder: string; expiresAt: number }> | undefined {
    const set = this.slots.get(key);
    if (!set) return undefined;
    const now = this.clock();
    for (const [id, slot] of set) if (slot.expiresAt <= now) set.delete(id);
    if (set.size === 0) this.slots.delete(key);
    return set.size > 0 ? set : undefined;
  }

  acquire(caps: { key: string; limit: number }[], holder: string, ttlMs: number): Promise<SlotLease | null> {
    if (caps.some(({ key, limit }) => (this.live(key)?.size ?? 0) >= limit)) return Promise.resolve(null);
    const id = this.nextId++;
    const keys = caps.map((c) => c.key);
    for (const key of keys) {
      let slots = this.slots.get(key);
      if (!slots) this.slots.set(key, (slots = new Map<number, { holder: string; expiresAt: number }>()));
      slots.set(id, { holder, expiresAt: this.clock() + ttlMs });
    }
    let released = false;
    return Promise.resolve({
      refresh: () => {
        // Only a slot still held: one that expired was freed, and may have been taken since.
        if (released) return Promise.resolve();
        for (const key of keys) {
          const slot = this.slots.get(key)?.get(id);
          if (slot) slot.expiresAt = this.clock() + ttlMs;
        }
        return Promise.resolve();
      },
      release: () => {
        released = true;
        for (const key of keys) {
          const slots = this.slots.get(key);
          slots?.delete(id);
          if (slots?.size === 0) this.slots.delete(key);
        }
        return Promise.resolve();
      },
    });
  }

  count(key: string): Promise<number> {
    return Promise.resolve(this.live(key)?.size ?? 0);
  }

  holders(key: string): Promise<string[]> {
    return Promise.resolve([...new Set([...(this.live(key)?.values() ?? [])].map((s) => s.holder))]);
  }
}

/** The ephemeral state of one process. */
export class MemoryEphemeral implements EphemeralState {
  readonly kind = 'memory' as const;
  readonly slots: StreamSlots;
  readonly events = new MemoryEventLog();
  private readonly onces = new Map<string, MemoryOnce>();
  private readonly counters = new Map<string, MemoryWindows>();

  constructor(private readonly clock: () => number) {
    this.slots = new MemorySlots(clock);
  }

  once(namespace: string, maxEntries: number): OnceStore {
    let store = this.onces.get(namespace);
    if (!store) this.onces.set(namespace, (store = new MemoryOnce(this.clock, maxEntries)));
    return store;
  }

  windows(namespace: string): WindowCounters {
    let counters = this.counters.get(namespace);
    if (!counters) this.counters.set(namespace, (counters = new MemoryWindows(this.clock)));
    return counters;
  }

  floodLimiter(options: FloodLimiterOptions): RateLimiterMemory {
    return new RateLimiterMemory(options);
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    for (const store of this.onces.values()) store.clear();
    return this.events.close();
  }
}
