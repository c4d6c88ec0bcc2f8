/**
 * The event log: every event the hub publishes, and every "end these streams", is appended here
 * first and delivered to the streams from here, so that streams on any instance hear it and a
 * stream that reconnects with `Last-Event-ID` gets what it missed. An entry is data (who it is
 * for is resolved when it is published), never a function: it must cross instances.
 *
 * Two implementations: a bounded ring in this process's memory (the embedded default: one
 * instance, and nothing to replay after a restart) and a Redis Stream (redis-log.ts).
 */
import { randomBytes } from 'node:crypto';
import type { AgentEvent, VisitorEvent } from '@secure-forms/shared';

/** Which agent streams to end: one session's, an operator's, or an operator's but one session's. */
export type AgentStreamsToEnd = { tokenHash: string } | { operatorId: string; exceptTokenHash?: string };

/** One entry: an event for agent or visitor streams, or an order to end some. */
export type LogEntry =
  /** To the operator streams of `siteId` (every site when absent), only `operatorIds` when given. */
  | { kind: 'agent'; siteId?: string; operatorIds?: string[]; event: AgentEvent }
  | { kind: 'visitor'; conversationId: string; event: VisitorEvent }
  | { kind: 'end-agents'; which: AgentStreamsToEnd }
  | { kind: 'end-visitors'; conversationId: string };

/**
 * An entry with its id (the SSE `id:`). Entries appended together share one id: they must be for
 * different streams (no stream hears two of them), since a reconnect resumes after the whole id.
 */
export interface Logged {
  id: string;
  entry: LogEntry;
}

export interface EventLog {
  /**
   * Append `entries` as one record under one id (one write, one delivery: each stream hears the
   * entry meant for it); resolves with the id once it is in the log (and delivered in this process,
   * for memory). The entries must be for different streams (see Logged).
   */
  append(...entries: LogEntry[]): Promise<string>;
  /**
   * The entries after `id`, oldest first, as far back as the log keeps; empty for an id the log
   * does not know (another process's, before a restart).
   */
  since(id: string): Promise<Logged[]>;
  /** Hear every entry appended from now on, by any instance, in order. */
  subscribe(listener: (logged: Logged) => void): () => void;
  /** Whether id `a` comes before `b` in this log. */
  before(a: string, b: string): boolean;
  close(): Promise<void>;
}

/** How many entries the memory ring keeps for replay (a few minutes of a busy site). */
export const MEMORY_LOG_ENTRIES = 2000;

/**
 * The ring in memory. Ids are `<this process's random id>.<sequence>`, so an id from before a
 * restart is recognised as unknown rather than read as a position in the new ring.
 */
export class MemoryEventLog implements EventLog {
  private readonly ring: Logged[] = [];
  private readonly listeners = new Set<(logged: Logged) => void>();
  private readonly boot = randomBytes(4).toString('hex');
  private seq = 0;

  constructor(private readonly capacity = MEMORY_LOG_ENTRIES) {}

  append(...entries: LogEntry[]): Promise<string> {
    const id = `${this.boot}.${++this.seq}`;
    for (const entry of entries) {
      const logged = { id, entry };
      this.ring.push(logged);
      if (this.ring.length > this.capacity) this.ring.shift();
      for (const listener of this.listeners) listener(logged);
    }
    return Promise.resolve(id);
  }

  private position(id: string): number | undefined {
    const [boot, seq] = id.split('.');
    return boot === this.boot && seq !== undefined && /^\d+$/.test(seq) ? Number(seq) : undefined;
  }

  since(id: string): Promise<Logged[]> {
    const after = this.position(id);
    if (after === undefined) return Promise.resolve([]);
    return Promise.resolve(this.ring.filter((logged) => this.position(logged.id)! > after));
  }

  subscribe(listener: (logged: Logged) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  before(a: string, b: string): boolean {
    return (this.position(a) ?? 0) < (this.position(b) ?? 0);
  }

  close(): Promise<void> {
    this.listeners.clear();
    return Promise.resolve();
  }
}
