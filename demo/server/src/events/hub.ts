/**
 * The in-process event hub: fans conversation and agent events out to the SSE streams connected to
 * this process. A deployment with several processes would put Redis pub/sub behind this interface.
 */
import type { AgentEvent, VisitorEvent } from '@secure-forms/shared';

type Listener<T> = (event: T) => void;

interface AgentSubscription {
  siteId: string;
  operatorId: string;
  listener: Listener<AgentEvent>;
}

export class EventHub {
  private readonly agents = new Set<AgentSubscription>();
  private readonly visitors = new Map<string, Set<Listener<VisitorEvent>>>();

  subscribeAgent(siteId: string, operatorId: string, listener: Listener<AgentEvent>): () => void {
    const subscription = { siteId, operatorId, listener };
    this.agents.add(subscription);
    return () => this.agents.delete(subscription);
  }

  subscribeVisitor(conversationId: string, listener: Listener<VisitorEvent>): () => void {
    let set = this.visitors.get(conversationId);
    if (!set) this.visitors.set(conversationId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.visitors.delete(conversationId);
    };
  }

  /** To one operator's streams only. */
  toAgent(operatorId: string, event: AgentEvent): void {
    for (const s of this.agents) if (s.operatorId === operatorId) safely(s.listener, event);
  }

  /** To every operator stream of a site (optionally filtered by operator id). */
  toSite(siteId: string, event: AgentEvent, only?: (operatorId: string) => boolean): void {
    for (const s of this.agents) if (s.siteId === siteId && (!only || only(s.operatorId))) safely(s.listener, event);
  }

  toVisitor(conversationId: string, event: VisitorEvent): void {
    for (const listener of this.visitors.get(conversationId) ?? []) safely(listener, event);
  }

  get listenerCount(): number {
    let n = this.agents.size;
    for (const set of this.visitors.values()) n += set.size;
    return n;
  }
}

function safely<T>(listener: Listener<T>, event: T): void {
  try {
    listener(event);
  } catch {
    // A broken stream must not stop the others; it is cleaned up by its own abort handler.
  }
}
