/**
 * The event log as a Redis Stream shared by every instance: XADD (trimmed with MAXLEN ~) to
 * append, XRANGE to replay, and one blocking XREAD reader per instance (its own connection) that
 * hands each new entry to this instance's streams.
 *
 * An instance without a listener (no stream open on it) still reads every entry, so that its
 * position stays exact and a stream opening on it misses nothing, but in batches: after each read
 * it waits IDLE_READ_MS (cut short when a listener comes) rather than waking on every entry of
 * every other instance. Its own appends then resolve at once (nothing here to deliver to), and a
 * listener that comes later is not handed the entries this instance appended before it came.
 */
import type { Redis } from 'ioredis';
import type { EventLog, Logged, LogEntry } from './log.js';

/** About how many entries the stream keeps for replay (MAXLEN ~ trims in whole nodes). */
export const REDIS_LOG_ENTRIES = 10_000;
/** How long one XREAD blocks before it asks again (also how soon `close` is noticed at worst). */
const BLOCK_MS = 5000;
/** The longest `append` waits for this instance's reader to deliver the entry (a stalled reader must not hold requests). */
const DELIVERY_WAIT_MS = 2000;
/** Without a listener, how long the reader waits after a read before the next: the others' entries then come in batches. */
const IDLE_READ_MS = 100;

/** "ms-seq" stream ids, compared as numbers. */
function parseId(id: string): [number, number] | undefined {
  const m = /^(\d+)-(\d+)$/.exec(id);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export class RedisEventLog implements EventLog {
  private readonly listeners = new Set<(logged: Logged) => void>();
  /** The newest id this instance appended (a listener that comes later is not handed what is not newer). */
  private appended = '0-0';
  /** Cuts the reader's idle wait short (a listener came, or the log is closing). */
  private wake: () => void = () => undefined;
  /** How many XREADs the reader has made (tests, metrics). */
  reads = 0;
  private readonly reader: Redis;
  private closed = false;
  private readonly reading: Promise<void>;
  /** The last id this instance's reader delivered, and the appends waiting for it to get theirs. */
  private delivered: string;
  private readonly waiting = new Set<{ id: string; resolve: () => void }>();

  /** Open the log at `key`: its reader starts after the entry that is last now. */
  static async open(redis: Redis, key: string): Promise<RedisEventLog> {
    const last = (await redis.xrevrange(key, '+', '-', 'COUNT', 1))[0]?.[0] ?? '0-0';
    return new RedisEventLog(redis, key, last);
  }

  private constructor(
    private readonly redis: Redis,
    private readonly key: string,
    startAfter: string,
  ) {
    this.delivered = startAfter;
    this.reader = redis.duplicate();
    this.reader.on('error', () => undefined);
    this.reading = this.read(startAfter);
  }

  /**
   * Resolves once this instance's own streams have been handed the entry too: a stream opened
   * after the request that caused an event answered must not then receive that event late (as
   * the memory ring, which delivers at once).
   */
  async append(...entries: LogEntry[]): Promise<string> {
    // One stream entry with an `e` field per log entry: one XADD, and one read by each instance's reader.
    const fields = entries.flatMap((entry) => ['e', JSON.stringify(entry)]);
    const id = (await this.redis.xadd(this.key, 'MAXLEN', '~', REDIS_LOG_ENTRIES, '*', ...fields))!;
    if (this.before(this.appended, id)) this.appended = id;
    if (this.closed || this.listeners.size === 0 || !this.before(this.delivered, id)) return id;
    await new Promise<void>((resolve) => {
      const waiter = {
        id,
        resolve: () => {
          this.waiting.delete(waiter);
          clearTimeout(timer);
          resolve();
        },
      };
      const timer = setTimeout(waiter.resolve, DELIVERY_WAIT_MS);
      this.waiting.add(waiter);
    });
    return id;
  }

  async since(id: string): Promise<Logged[]> {
    if (!parseId(id)) return [];
    return toLogged(await this.redis.xrange(this.key, `(${id}`, '+', 'COUNT', REDIS_LOG_ENTRIES));
  }

  subscribe(listener: (logged: Logged) => void): () => void {
    // What this instance appended before (its requests answered without waiting for the reader) is not for it.
    const after = this.appended;
    const heard = (logged: Logged) => {
      if (this.before(after, logged.id)) listener(logged);
    };
    this.listeners.add(heard);
    this.wake();
    return () => this.listeners.delete(heard);
  }

  before(a: string, b: string): boolean {
    const [ams, aseq] = parseId(a) ?? [0, 0];
    const [bms, bseq] = parseId(b) ?? [0, 0];
    return ams < bms || (ams === bms && aseq < bseq);
  }

  /** The reader: every entry after `startAfter`, in order, to this instance's listeners. */
  private async read(startAfter: string): Promise<void> {
    let last = startAfter;
    while (!this.closed) {
      try {
        if (this.listeners.size === 0) await this.idle();
        if (this.closed) break;
        this.reads++;
        const answer = await this.reader.xread('BLOCK', BLOCK_MS, 'STREAMS', this.key, last);
        for (const [, entries] of answer ?? []) {
          for (const logged of toLogged(entries)) {
            last = logged.id;
            for (const listener of this.listeners) listener(logged);
            this.delivered = logged.id;
            for (const waiter of [...this.waiting]) if (!this.before(this.delivered, waiter.id)) waiter.resolve();
          }
        }
      } catch {
        // The connection dropped (ioredis reconnects) or the log is closing: ask again shortly.
        if (!this.closed) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  /** Wait IDLE_READ_MS, or until `wake`. */
  private idle(): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, IDLE_READ_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake();
    this.listeners.clear();
    for (const waiter of [...this.waiting]) waiter.resolve();
    this.reader.disconnect();
    await this.reading;
  }
}

/** The log entries of stream entries: one per `e` field, in order, under the stream entry's id. */
function toLogged(entries: [id: string, fields: string[]][]): Logged[] {
  const out: Logged[] = [];
  for (const [id, fields] of entries) {
    for (let i = 0; i + 1 < fields.length; i += 2) {
      if (fields[i] === 'e') out.push({ id, entry: JSON.parse(fields[i + 1]!) as LogEntry });
    }
  }
  return out;
}
