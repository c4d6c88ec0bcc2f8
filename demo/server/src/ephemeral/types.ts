/**
 * What the server holds only for a while, behind small interfaces with two implementations: in
 * this process's memory (the embedded default, memory.ts) and in Redis (several instances,
 * redis.ts). Deadlines are always the app's clock (injectable in tests), carried inside the
 * values; Redis's own expiry is only the upper bound that frees its memory.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { EventLog } from '../events/log.js';

/** What `take` found: the value (now handed out), or why there is none. */
export type Took = { state: 'available'; value: string; expiresAt: number } | { state: 'handed-out' } | { state: 'expired' };

/**
 * Values held until a deadline and handed out once: `take` returns the value and leaves a
 * tombstone until the deadline, atomically, so of any number of concurrent takes (on any
 * instance) exactly one gets it.
 */
export interface OnceStore {
  /** Hold `value` (never empty) under `key` until `expiresAt` (app clock, epoch ms). */
  put(key: string, value: string, expiresAt: number): Promise<void>;
  take(key: string): Promise<Took>;
  /** The value if it is held (not handed out, not expired), without taking it. */
  peek(key: string): Promise<{ value: string; expiresAt: number } | null>;
  /** Forget `key` (value or tombstone). */
  delete(key: string): Promise<void>;
  /** How many values are held, tombstones not counted (tests, metrics: not for a hot path). */
  count(): Promise<number>;
  /** Drop what has expired (memory; Redis frees expired keys itself). */
  sweep(): Promise<void>;
}

/** One fixed window of a counter: the count in it and when it ends (app clock). */
export interface Window {
  count: number;
  endsAt: number;
}

/** Fixed-window counters on the app clock, counted across instances where the state is shared. */
export interface WindowCounters {
  /** Count one for `key`; the window after counting it. */
  hit(key: string, windowMs: number): Promise<Window>;
  /** The current window of `key` without counting (count 0 when none is open). */
  peek(key: string, windowMs: number): Promise<Window>;
  /**
   * Count one for `key` only if it is known: counted in its current window or in the one before
   * (then this count opens a new window). For a key not known, nothing is counted and the count
   * is 0. A window is remembered for one more window after it ends, for this.
   */
  hitKnown(key: string, windowMs: number): Promise<Window>;
}

/** A held stream slot: refreshed while its stream lives, released when it ends. */
export interface SlotLease {
  /** Push the slot's deadline on (a stream that is alive keeps its slot). */
  refresh(): Promise<void>;
  /** Free the slot (idempotent). */
  release(): Promise<void>;
}

/**
 * Slots of long-lived streams, capped per key. Each slot has a deadline its stream keeps pushing
 * on; a slot whose stream died with its instance frees itself when the deadline passes.
 */
export interface StreamSlots {
  /**
   * Take one slot under every key of `caps` (each within its limit), or none and null. `holder`
   * names the slot (listed by `holders`).
   */
  acquire(caps: { key: string; limit: number }[], holder: string, ttlMs: number): Promise<SlotLease | null>;
  /** Live slots under `key`. */
  count(key: string): Promise<number>;
  /** The holders of the live slots under `key` (a holder once however many slots it has). */
  holders(key: string): Promise<string[]>;
}

/** Options of a rate-limiter-flexible limiter (the flood limits). */
export interface FloodLimiterOptions {
  keyPrefix: string;
  points: number;
  /** Seconds. */
  duration: number;
}

/** All of it, from one place: memory or one Redis connection under one key prefix. */
export interface EphemeralState {
  /** 'memory' or 'redis' (logged at start; tests that mean one engine check it). */
  readonly kind: 'memory' | 'redis';
  /** Values handed out once, in their own namespace; `maxEntries` bounds the memory implementation. */
  once(namespace: string, maxEntries: number): OnceStore;
  /** Fixed-window counters in their own namespace. */
  windows(namespace: string): WindowCounters;
  /** A rate-limiter-flexible limiter (the same `consume` in memory and in Redis); wall-clock seconds. */
  floodLimiter(options: FloodLimiterOptions): RateLimiterAbstract;
  readonly slots: StreamSlots;
  /** The log every event goes through (a ring in memory; a Redis Stream shared by the instances). */
  readonly events: EventLog;
  /** Resolves when the state answers (readiness). */
  ping(): Promise<void>;
  /** Forget what memory holds; close the Redis connections. */
  close(): Promise<void>;
}
