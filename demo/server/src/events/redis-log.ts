/**
 * The event log as a Redis Stream shared by every instance: XADD (trimmed with MAXLEN ~) to
 * append, XRANGE to replay, and one blocking XREAD reader per instance (its own connection) that
 * hands each new entry to this instance's streams.
 */
import type { Redis } from 'ioredis';
import type { EventLog, Logged, LogEntry } from './log.js';

/** About how many entries the stream keeps for replay (MAXLEN ~ trims in whole nodes). */
export const REDIS_LOG_ENTRIES = 10_000;
/** How long one XREAD blocks before it asks again (also how soon `close` is noticed at worst). */
const BLOCK_MS = 5000;

/** "ms-seq" stream ids, compared as numbers. */
function parseId(id: string): [number, number] | undefined {
  const m = /^(\d+)-(\d+)$/.exec(id);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export class RedisEventLog implements EventLog {
  private readonly listeners = new Set<(logged: Logged) => void>();
  private readonly reader: Redis;
  private closed = false;
  private readonly reading: Promise<void>;

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
    this.reader = redis.duplicate();
    this.reader.on('error', () => undefined);
    this.reading = this.read(startAfter);
  }

  async append(entry: LogEntry): Promise<string> {
    const id = await this.redis.xadd(this.key, 'MAXLEN', '~', REDIS_LOG_ENTRIES, '*', 'e', JSON.stringify(entry));
    return id!;
  }

  async since(id: string): Promise<Logged[]> {
    if (!parseId(id)) return [];
    return toLogged(await this.redis.xrange(this.key, `(${id}`, '+', 'COUNT', REDIS_LOG_ENTRIES));
  }

  subscribe(listener: (logged: Logged) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
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
        const answer = await this.reader.xread('BLOCK', BLOCK_MS, 'STREAMS', this.key, last);
        for (const [, entries] of answer ?? []) {
          for (const logged of toLogged(entries)) {
            last = logged.id;
            for (const listener of this.listeners) listener(logged);
          }
        }
      } catch {
        // The connection dropped (ioredis reconnects) or the log is closing: ask again shortly.
        if (!this.closed) await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.reader.disconnect();
    await this.reading;
  }
}

function toLogged(entries: [id: string, fields: string[]][]): Logged[] {
  const out: Logged[] = [];
  for (const [id, fields] of entries) {
    const json = fields[fields.indexOf('e') + 1];
    if (json !== undefined) out.push({ id, entry: JSON.parse(json) as LogEntry });
  }
  return out;
}
