/**
 * The in-process event hub: fans conversation and agent events out to the SSE streams connected to
 * this process. A deployment with several processes would put Redis pub/sub behind this interface.
 *
 * Visitor streams are anonymous (a conversation token is free to get), so they are counted: at most
 * `perConversation` open streams per conversation and `perAddress` per client address, a slot freed
 * when its stream ends; and a conversation's streams are ended when it closes.
 */
import type { AgentEvent, VisitorEvent } from '@secure-forms/shared';

type Listener<T> = (event: T) => void;

/** The caps on open visitor streams. */
export interface VisitorStreamLimits {
  perConversation: number;
  perAddress: number;
}

/** A reserved visitor stream slot: listen once, close (idempotent) when the stream ends. */
export interface VisitorStream {
  /** Receive the conversation's events; `end` is called when the conversation closes. */
  listen(listener: Listener<VisitorEvent>, end: () => void): void;
  /** Stop listening and free the slot. */
  close(): void;
}

interface VisitorSubscription {
  listener: Listener<VisitorEvent>;
  end: () => void;
}

interface AgentSubscription {
  siteId: string;
  operatorId: string;
  listener: Listener<AgentEvent>;
  /** The session the stream runs under, and how to end the stream when that session ends. */
  session?: { tokenHash: string; end: () => void };
}

export class EventHub {
  private readonly agents = new Set<AgentSubscription>();
  private readonly visitors = new Map<string, Set<VisitorSubscription>>();
  /** Open (reserved) visitor streams by conversation and by address. */
  private readonly perConversation = new Map<string, number>();
  private readonly perAddress = new Map<string, number>();

  subscribeAgent(
    siteId: string,
    operatorId: string,
    listener: Listener<AgentEvent>,
    session?: { tokenHash: string; end: () => void },
  ): () => void {
    const subscription: AgentSubscription = { siteId, operatorId, listener, ...(session ? { session } : {}) };
    this.agents.add(subscription);
    return () => this.agents.delete(subscription);
  }

  /**
   * End the agent streams of one session (sign-out), of every session of an operator (a lock), or
   * of every session of an operator but one (a password change, from that one session).
   */
  endAgentSessions(which: { tokenHash: string } | { operatorId: string; exceptTokenHash?: string }): void {
    const matches = (s: AgentSubscription) => {
      if ('tokenHash' in which) return s.session?.tokenHash === which.tokenHash;
      if (s.operatorId !== which.operatorId) return false;
      return which.exceptTokenHash === undefined || (s.session !== undefined && s.session.tokenHash !== which.exceptTokenHash);
    };
    for (const s of [...this.agents]) {
      if (!matches(s)) continue;
      this.agents.delete(s);
      try {
        s.session?.end();
      } catch {
        // One stream failing to end must not keep the others open.
      }
    }
  }

  /** Listen to a conversation's events without a slot (in-process listeners, tests). */
  subscribeVisitor(conversationId: string, listener: Listener<VisitorEvent>, end: () => void = () => undefined): () => void {
    const subscription = { listener, end };
    let set = this.visitors.get(conversationId);
    if (!set) this.visitors.set(conversationId, (set = new Set()));
    set.add(subscription);
    return () => {
      set.delete(subscription);
      if (set.size === 0 && this.visitors.get(conversationId) === set) this.visitors.delete(conversationId);
    };
  }

  /**
   * Reserve a visitor stream slot for `conversationId` from `address`; null when either cap is
   * reached (the caller refuses with 429). The slot is held until `close()`.
   */
  openVisitor(conversationId: string, address: string, limits: VisitorStreamLimits): VisitorStream | null {
    if ((this.perConversation.get(conversationId) ?? 0) >= limits.perConversation) return null;
    if ((this.perAddress.get(address) ?? 0) >= limits.perAddress) return null;
    bump(this.perConversation, conversationId, 1);
    bump(this.perAddress, address, 1);
    let unsubscribe: (() => void) | null = null;
    let closed = false;
    return {
      listen: (listener, end) => {
        if (closed || unsubscribe) return;
        unsubscribe = this.subscribeVisitor(conversationId, listener, end);
      },
      close: () => {
        if (closed) return;
        closed = true;
        unsubscribe?.();
        bump(this.perConversation, conversationId, -1);
        bump(this.perAddress, address, -1);
      },
    };
  }

  /** End every visitor stream of a conversation (it closed): each stream's `end` is called. */
  endVisitors(conversationId: string): void {
    for (const subscription of [...(this.visitors.get(conversationId) ?? [])]) {
      try {
        subscription.end();
      } catch {
        // One stream failing to end must not keep the others open.
      }
    }
  }

  /** Open visitor stream slots of a conversation (tests, metrics). */
  visitorStreams(conversationId: string): number {
    return this.perConversation.get(conversationId) ?? 0;
  }

  /** To one operator's streams only. */
  toAgent(operatorId: string, event: AgentEvent): void {
    for (const s of this.agents) if (s.operatorId === operatorId) safely(s.listener, event);
  }

  /** To every operator stream of a site (optionally filtered by operator id). */
  toSite(siteId: string, event: AgentEvent, only?: (operatorId: string) => boolean): void {
    for (const s of this.agents) if (s.siteId === siteId && (!only || only(s.operatorId))) safely(s.listener, event);
  }

  /** Whether an operator other than `operatorId` has a stream open on the site. */
  hasOtherSiteListener(siteId: string, operatorId: string): boolean {
    for (const s of this.agents) if (s.siteId === siteId && s.operatorId !== operatorId) return true;
    return false;
  }

  toVisitor(conversationId: string, event: VisitorEvent): void {
    for (const s of this.visitors.get(conversationId) ?? []) safely(s.listener, event);
  }

  get listenerCount(): number {
    let n = this.agents.size;
    for (const set of this.visitors.values()) n += set.size;
    return n;
  }
}

function bump(counts: Map<string, number>, key: string, by: number): void {
  const next = (counts.get(key) ?? 0) + by;
  if (next <= 0) counts.delete(key);
  else counts.set(key, next);
}

function safely<T>(listener: Listener<T>, event: T): void {
  try {
    listener(event);
  } catch {
    // A broken stream must not stop the others; it is cleaned up by its own abort handler.
  }
}
