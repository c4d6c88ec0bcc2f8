/**
 * The event hub: publishes conversation and agent events through the event log (events/log.ts)
 * and delivers what the log carries to the SSE streams connected to this process. Publishing
 * resolves once the entry is in the log, so a request that causes an event answers after it; the
 * streams of every instance (on Redis) hear it; a stream that reconnects with `Last-Event-ID`
 * gets what it missed, filtered exactly as live delivery is (an entry names who it is for).
 *
 * Visitor streams are anonymous (a conversation token is free to get), so they are counted in the
 * ephemeral state's stream slots: at most `perConversation` open streams per conversation and
 * `perAddress` per client address, across instances; a slot is freed when its stream ends, and
 * one whose instance died frees itself when its deadline passes. A conversation's streams are
 * ended when it closes, an agent's when its session ends (sign-out, lock, password change), on
 * every instance.
 */
import type { AgentEvent, VisitorEvent } from '@secure-forms/shared';
import type { SlotLease, StreamSlots } from '../ephemeral/types.js';
import type { AgentStreamsToEnd, EventLog, Logged, LogEntry } from './log.js';

/** Receives one event and its log id (the SSE `id:`). */
type Listener<T> = (event: T, id: string) => void;

/** The caps on open visitor streams. */
export interface VisitorStreamLimits {
  perConversation: number;
  perAddress: number;
}

/** A held stream: refreshed while it lives (its slot's deadline), closed (idempotent) when it ends. */
export interface HeldStream {
  refresh(): Promise<void>;
  close(): void;
}

/** A reserved visitor stream slot: listen once, close (idempotent) when the stream ends. */
export interface VisitorStream extends HeldStream {
  /** Receive the conversation's events (those after `lastEventId` first); `end` is called when the conversation closes. */
  listen(listener: Listener<VisitorEvent>, end: () => void, lastEventId?: string): void;
}

/** A subscriber: what it hears, and (while it replays) the live entries held back until the replay is sent. */
interface Subscription {
  matches(entry: LogEntry): boolean;
  deliver(entry: LogEntry, id: string): void;
  held: Logged[] | null;
  /** After a replay, its last id: a live entry not after it was sent already (a reader still catching up hands it again). */
  after?: string;
}

interface AgentSubscription extends Subscription {
  siteId: string;
  operatorId: string;
  /** The session the stream runs under, and how to end the stream when that session ends. */
  session?: { tokenHash: string; end: () => void };
}

interface VisitorSubscription extends Subscription {
  end: () => void;
}

const agentKey = (siteId: string) => `agents:${siteId}`;
const conversationKey = (conversationId: string) => `visitors:conversation:${conversationId}`;
const addressKey = (address: string) => `visitors:address:${address}`;

export class EventHub {
  private readonly agents = new Set<AgentSubscription>();
  private readonly visitors = new Map<string, Set<VisitorSubscription>>();
  /** Hearing the log while a stream is open here; null while none is (the Redis log then reads in batches). */
  private stopListening: (() => void) | null = null;

  constructor(
    private readonly log: EventLog,
    private readonly slots: StreamSlots,
    /** How long a stream's slot lives without a refresh (streams refresh at each keep-alive). */
    private readonly slotTtlMs: number,
  ) {}

  /** Hear the log from now on (a stream opens). */
  private listen(): void {
    this.stopListening ??= this.log.subscribe((logged) => this.dispatch(logged));
  }

  /** Stop hearing the log once no stream is open here. */
  private quietIfIdle(): void {
    if (this.agents.size > 0 || this.visitors.size > 0) return;
    this.stopListening?.();
    this.stopListening = null;
  }

  subscribeAgent(
    siteId: string,
    operatorId: string,
    listener: Listener<AgentEvent>,
    session?: { tokenHash: string; end: () => void },
    lastEventId?: string,
  ): HeldStream {
    const subscription: AgentSubscription = {
      siteId,
      operatorId,
      ...(session ? { session } : {}),
      held: null,
      matches: (entry) =>
        entry.kind === 'agent' &&
        (entry.siteId === undefined || entry.siteId === siteId) &&
        (entry.operatorIds === undefined || entry.operatorIds.includes(operatorId)),
      deliver: (entry, id) => {
        if (entry.kind === 'agent') safely(() => listener(entry.event, id));
      },
    };
    this.agents.add(subscription);
    this.listen();
    this.replay(subscription, lastEventId);
    // Presence on the site (hasOtherSiteListener, from any instance). Not released when the
    // stream ends: it expires, so an operator reconnecting within the deadline still counts as
    // listening, and the messages it may read are addressed to it for its replay.
    const presence = this.slots.acquire([{ key: agentKey(siteId), limit: Infinity }], operatorId, this.slotTtlMs).catch(() => null);
    let closed = false;
    return {
      refresh: async () => {
        if (!closed) await (await presence)?.refresh();
      },
      close: () => {
        closed = true;
        this.agents.delete(subscription);
        this.quietIfIdle();
      },
    };
  }

  /**
   * End the agent streams of one session (sign-out), of every session of an operator (a lock), or
   * of every session of an operator but one (a password change, from that one session), on every
   * instance.
   */
  async endAgentSessions(which: AgentStreamsToEnd): Promise<void> {
    await this.log.append({ kind: 'end-agents', which });
  }

  /**
   * Reserve a visitor stream slot for `conversationId` from `address`; null when either cap is
   * reached (the caller refuses with 429). The slot is held until `close()`.
   */
  async openVisitor(conversationId: string, address: string, limits: VisitorStreamLimits): Promise<VisitorStream | null> {
    const lease: SlotLease | null = await this.slots.acquire(
      [
        { key: conversationKey(conversationId), limit: limits.perConversation },
        { key: addressKey(address), limit: limits.perAddress },
      ],
      conversationId,
      this.slotTtlMs,
    );
    if (!lease) return null;
    let subscription: VisitorSubscription | null = null;
    let closed = false;
    return {
      listen: (listener, end, lastEventId) => {
        if (closed || subscription) return;
        subscription = {
          end,
          held: null,
          matches: (entry) => entry.kind === 'visitor' && entry.conversationId === conversationId,
          deliver: (entry, id) => {
            if (entry.kind === 'visitor') safely(() => listener(entry.event, id));
          },
        };
        let set = this.visitors.get(conversationId);
        if (!set) this.visitors.set(conversationId, (set = new Set()));
        set.add(subscription);
        this.listen();
        this.replay(subscription, lastEventId);
      },
      refresh: () => (closed ? Promise.resolve() : lease.refresh()),
      close: () => {
        if (closed) return;
        closed = true;
        const set = this.visitors.get(conversationId);
        if (set && subscription) {
          set.delete(subscription);
          if (set.size === 0) this.visitors.delete(conversationId);
        }
        this.quietIfIdle();
        void lease.release().catch(() => undefined);
      },
    };
  }

  /** End every visitor stream of a conversation (it closed), on every instance: each stream's `end` is called. */
  async endVisitors(conversationId: string): Promise<void> {
    await this.log.append({ kind: 'end-visitors', conversationId });
  }

  /** Open visitor stream slots of a conversation, on every instance (tests, metrics). */
  visitorStreams(conversationId: string): Promise<number> {
    return this.slots.count(conversationKey(conversationId));
  }

  /** To one operator's streams only. */
  async toAgent(operatorId: string, event: AgentEvent): Promise<void> {
    await this.log.append({ kind: 'agent', operatorIds: [operatorId], event });
  }

  /** To every operator stream of a site, or only those of the operators in `only`. */
  async toSite(siteId: string, event: AgentEvent, only?: readonly string[]): Promise<void> {
    await this.log.append({ kind: 'agent', siteId, ...(only ? { operatorIds: [...only] } : {}), event });
  }

  /** Whether an operator other than `operatorId` has (or just had) a stream open on the site, on any instance. */
  async hasOtherSiteListener(siteId: string, operatorId: string): Promise<boolean> {
    for (const s of this.agents) if (s.siteId === siteId && s.operatorId !== operatorId) return true;
    return (await this.slots.holders(agentKey(siteId))).some((holder) => holder !== operatorId);
  }

  /**
   * To a conversation's visitor streams and to the site's operator streams (only those of `only`
   * when given), as one log entry: one append, and one read by each instance, for both.
   */
  async toConversation(
    conversationId: string,
    visitorEvent: VisitorEvent,
    siteId: string,
    agentEvent: AgentEvent,
    only?: readonly string[],
  ): Promise<void> {
    await this.log.append(
      { kind: 'visitor', conversationId, event: visitorEvent },
      { kind: 'agent', siteId, ...(only ? { operatorIds: [...only] } : {}), event: agentEvent },
    );
  }

  async toVisitor(conversationId: string, event: VisitorEvent): Promise<void> {
    await this.log.append({ kind: 'visitor', conversationId, event });
  }

  /** Streams connected to this process. */
  get listenerCount(): number {
    let n = this.agents.size;
    for (const set of this.visitors.values()) n += set.size;
    return n;
  }

  /** Stop hearing the log (the app is closing). */
  close(): void {
    this.stopListening?.();
    this.stopListening = null;
  }

  /** One entry from the log, from any instance, to this process's streams. */
  private dispatch(logged: Logged): void {
    const { entry } = logged;
    if (entry.kind === 'end-agents') return this.endAgents(entry.which);
    if (entry.kind === 'end-visitors') {
      for (const s of [...(this.visitors.get(entry.conversationId) ?? [])]) safely(s.end);
      return;
    }
    const subscriptions = entry.kind === 'agent' ? this.agents : (this.visitors.get(entry.conversationId) ?? []);
    for (const s of subscriptions) {
      if (!s.matches(entry)) continue;
      if (s.after !== undefined && !this.log.before(s.after, logged.id)) continue;
      if (s.held) s.held.push(logged);
      else s.deliver(entry, logged.id);
    }
  }

  private endAgents(which: AgentStreamsToEnd): void {
    const matches = (s: AgentSubscription) => {
      if ('tokenHash' in which) return s.session?.tokenHash === which.tokenHash;
      if (s.operatorId !== which.operatorId) return false;
      return which.exceptTokenHash === undefined || (s.session !== undefined && s.session.tokenHash !== which.exceptTokenHash);
    };
    for (const s of [...this.agents]) {
      if (!matches(s)) continue;
      this.agents.delete(s);
      if (s.session) safely(s.session.end);
    }
    this.quietIfIdle();
  }

  /**
   * Send what `subscription` missed after `lastEventId` (only what it would have been sent live:
   * the same `matches`), then the live entries held back meanwhile, each once, in order.
   */
  private replay(subscription: Subscription, lastEventId: string | undefined): void {
    if (!lastEventId) return;
    subscription.held = [];
    const flush = (missed: Logged[]) => {
      let last = lastEventId;
      for (const logged of missed) {
        if (!subscription.matches(logged.entry)) continue;
        subscription.deliver(logged.entry, logged.id);
        last = logged.id;
      }
      const held = subscription.held ?? [];
      subscription.held = null;
      subscription.after = last;
      for (const logged of held) if (this.log.before(last, logged.id)) subscription.deliver(logged.entry, logged.id);
    };
    this.log.since(lastEventId).then(flush, () => flush([]));
  }
}

function safely(run: () => void): void {
  try {
    run();
  } catch {
    // A broken stream must not stop the others; it is cleaned up by its own abort handler.
  }
}
