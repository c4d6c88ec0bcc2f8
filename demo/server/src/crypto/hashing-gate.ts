/**
 * A global cap on password hashing. scrypt runs on libuv's thread pool (4 threads by default),
 * which file reads, DNS and zlib share; a flood of sign-ins (known usernames or not: unknown ones
 * get a dummy check of the same cost) would queue hundreds of 16 MiB scrypt jobs there and
 * starve everything else. The gate lets `concurrency` checks run and `queue` more wait; past that
 * a sign-in is refused at once (the caller answers 503 with Retry-After) before it is counted
 * or checked. Every sign-in passes the same gate whatever its username, so a refusal tells
 * nothing about which usernames exist. The queue itself is p-queue.
 */
import { availableParallelism } from 'node:os';
import PQueue from 'p-queue';

/** How many checks may run at once and how many may wait. */
export interface HashingLimits {
  concurrency: number;
  queue: number;
}

/**
 * At most half the default thread pool (4) for hashing, and one core fewer than the machine has,
 * so that the event loop always has a core to serve everything else; eight waiting (well under a
 * second of waiting at 50 ms a check).
 */
export const DEFAULT_HASHING_LIMITS: HashingLimits = { concurrency: Math.max(1, Math.min(2, availableParallelism() - 1)), queue: 8 };

/** Thrown by {@link HashingGate.run} when the gate is full. */
export class HashingBusy extends Error {
  override readonly name = 'HashingBusy';
  constructor() {
    super('Password hashing is at capacity.');
  }
}

/** The cap itself: one per process, shared by every site. */
export class HashingGate {
  private readonly queue: PQueue;
  private waiting: number;

  constructor(limits: HashingLimits = DEFAULT_HASHING_LIMITS) {
    this.queue = new PQueue({ concurrency: limits.concurrency });
    this.waiting = limits.queue;
  }

  get limits(): HashingLimits {
    return { concurrency: this.queue.concurrency, queue: this.waiting };
  }

  /** Change the caps (a deployment with a larger UV_THREADPOOL_SIZE; tests). */
  set limits(limits: HashingLimits) {
    this.queue.concurrency = limits.concurrency;
    this.waiting = limits.queue;
  }

  /** Checks running now and waiting (metrics, tests). */
  get load(): { running: number; waiting: number } {
    return { running: this.queue.pending, waiting: this.queue.size };
  }

  /** Run `task` within the cap; rejects with {@link HashingBusy} at once when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<T> {
    if (this.queue.pending >= this.queue.concurrency && this.queue.size >= this.waiting) return Promise.reject(new HashingBusy());
    return this.queue.add(task);
  }
}
