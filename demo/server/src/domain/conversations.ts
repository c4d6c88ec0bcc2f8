/**
 * Conversations, their transcript, and the fan-out of their events. The transcript holds text,
 * invitation ids and invitation status lines only: never a form value.
 *
 * Who hears what: the visitor hears their own conversation. Operators of the site hear about
 * every conversation's state (so a queue stays current), and the messages of conversations that
 * are waiting or assigned to them.
 *
 * Anything an anonymous visitor creates (a conversation, a message) is rate-limited per client
 * address and per site (FloodLimits); a conversation's visitor streams end when it closes.
 */
import { randomUUID } from 'node:crypto';
import type { ConversationWebhookEventType } from '@secure-forms/shared';
import { Refusal } from './refusal.js';
import { newToken, sha256 } from '../crypto/tokens.js';
import { FloodLimits } from './flood-limits.js';
import type { Runtime } from './runtime.js';
import type { ConversationMove, ConversationRow, MessageRow, OperatorRow, QueuePosition } from '../storage/types.js';
import { conversationView, messageView } from './views.js';

/** A transcript line before it has an id, a conversation and a time: each kind of {@link MessageRow} without them. */
type NewMessage = MessageRow extends infer M ? (M extends MessageRow ? Omit<M, 'id' | 'conversationId' | 'at'> : never) : never;

/** One page of the queue and where the next one starts. */
export interface QueuePage {
  conversations: ConversationRow[];
  next?: QueuePosition;
}

export class Conversations {
  private readonly floods: FloodLimits;

  constructor(private readonly rt: Runtime) {
    this.floods = new FloodLimits(rt.sites, rt.ephemeral);
  }

  /** Start a visitor's conversation from `address` (rate-limited per address and per site). */
  async start(siteId: string, visitorName: string | undefined, address: string): Promise<{ conversation: ConversationRow; token: string }> {
    if (!this.rt.sites.get(siteId)) throw new Refusal('NOT_FOUND', 'There is no such site.');
    await this.floods.hit('conversation', siteId, address);
    const token = newToken(this.rt.random);
    const conversation: ConversationRow = {
      id: randomUUID(),
      siteId,
      tokenHash: sha256(token),
      state: 'waiting',
      visitorName: visitorName ?? 'Visitor',
      assignedAgentId: null,
      createdAt: this.rt.clock(),
      closedAt: null,
    };
    await this.rt.store.insertConversation(conversation);
    await this.publishState(conversation);
    return { conversation, token };
  }

  async get(id: string): Promise<ConversationRow> {
    const conversation = await this.rt.store.findConversation(id);
    if (!conversation) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
    return conversation;
  }

  /** The visitor's credential: the token of this very conversation. */
  async authorizeVisitor(id: string, token: string | undefined): Promise<ConversationRow> {
    if (!token) throw new Refusal('UNAUTHENTICATED', 'This request needs the conversation token.');
    return this.visitorOf(await this.rt.store.findConversation(id), token);
  }

  /** As {@link authorizeVisitor}, for a conversation the caller has read already (or found missing). */
  visitorOf(conversation: ConversationRow | undefined, token: string | undefined): ConversationRow {
    if (!token) throw new Refusal('UNAUTHENTICATED', 'This request needs the conversation token.');
    if (!conversation || conversation.tokenHash !== sha256(token)) {
      throw new Refusal('UNAUTHENTICATED', 'The conversation token does not match this conversation.');
    }
    return conversation;
  }

  /**
   * An operator may read a conversation of their site that is waiting, theirs, or one they joined
   * (watching); managers and admins any.
   */
  async canRead(operator: OperatorRow, conversation: ConversationRow): Promise<boolean> {
    if (operator.siteId !== conversation.siteId) return false;
    if (operator.role !== 'agent') return true;
    if (conversation.assignedAgentId === null || conversation.assignedAgentId === operator.id) return true;
    return (await this.rt.store.listWatchers(conversation.id)).includes(operator.id);
  }

  async forOperator(operator: OperatorRow, id: string): Promise<ConversationRow> {
    const conversation = await this.get(id);
    if (conversation.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
    if (!(await this.canRead(operator, conversation))) throw new Refusal('NOT_ASSIGNED', 'This conversation is assigned to another agent.');
    return conversation;
  }

  /** Join (watch) a conversation without being assigned: read it and hear its messages. */
  async join(operator: OperatorRow, id: string): Promise<ConversationRow> {
    const conversation = await this.get(id);
    if (conversation.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
    if (conversation.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    await this.rt.store.addWatcher(id, operator.id, this.rt.clock());
    return conversation;
  }

  /**
   * Hand an active conversation to another agent of the site. The assigned agent, a manager or an
   * admin may do it. The previous agent's unanswered forms are cancelled (their key stays in that
   * agent's panel), and only the sender while still assigned can read a response.
   */
  async transfer(
    operator: OperatorRow,
    id: string,
    agentId: string,
  ): Promise<{ before: ConversationRow; after: ConversationRow; target: OperatorRow }> {
    const before = await this.get(id);
    if (before.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
    if (before.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    if (operator.role === 'agent' && before.assignedAgentId !== operator.id) {
      throw new Refusal('NOT_ASSIGNED', 'You are not assigned to this conversation.');
    }
    const target = await this.rt.accounts.operators.findOperator(agentId);
    if (!target || target.siteId !== operator.siteId || target.role !== 'agent') {
      throw new Refusal('VALIDATION_FAILED', 'The conversation can only go to an agent of this site.', [
        { path: 'agentId', reason: 'not_an_agent' },
      ]);
    }
    if (target.lockedAt !== null)
      throw new Refusal('VALIDATION_FAILED', 'That agent is disabled.', [{ path: 'agentId', reason: 'disabled' }]);
    return this.handOver(before, target);
  }

  /**
   * Move a conversation (not closed) to `target`, checked by the caller: the state is published,
   * the transcript says who took over, and the brand's webhooks hear it. To the agent who already
   * has it: no change, and nothing told. The caller cancels the previous agent's open forms.
   */
  async handOver(
    before: ConversationRow,
    target: OperatorRow,
  ): Promise<{ before: ConversationRow; after: ConversationRow; target: OperatorRow }> {
    const {
      before: moved,
      after,
      changed,
    } = await this.move(before.id, (current) => {
      if (current.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
      if (current.assignedAgentId === target.id) return undefined;
      return {
        to: { state: 'active', assignedAgentId: target.id },
        type: current.assignedAgentId === null ? 'conversation.assigned' : 'conversation.transferred',
      };
    });
    if (changed) {
      await this.publishState(after);
      await this.post(after, { kind: 'text', from: 'system', authorName: 'System', text: `${target.displayName} took over the chat.` });
    }
    return { before: moved, after, target };
  }

  /**
   * Change a conversation by `next` (what to move it to from the row as it is, or undefined: no
   * change), compare-and-set in the store with the change's webhook; read again and retried while
   * another request changed it in between. `changed`: this call made the change.
   */
  private async move(
    id: string,
    next: (current: ConversationRow) => { to: ConversationMove; type: ConversationWebhookEventType } | undefined,
  ): Promise<{ before: ConversationRow; after: ConversationRow; changed: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const current = await this.get(id);
      const step = next(current);
      if (!step) return { before: current, after: current, changed: false };
      const at = this.rt.clock();
      const to = step.to.state === 'closed' ? { ...step.to, closedAt: at } : step.to;
      const previous = await this.agentRef(current.siteId, current.assignedAgentId);
      const change = {
        type: step.type,
        siteId: current.siteId,
        agentId: step.type === 'conversation.closed' ? previous : await this.agentRef(current.siteId, to.assignedAgentId),
        ...(step.type === 'conversation.transferred' ? { previousAgentId: previous } : {}),
        at,
      };
      if (await this.rt.store.changeConversation(id, { state: current.state, assignedAgentId: current.assignedAgentId }, to, change)) {
        return { before: current, after: { ...current, ...to }, changed: true };
      }
      // Each retry follows a change another request made; a conversation has few (assign, transfers, close).
      if (attempt >= 20) throw new Refusal('SERVICE_BUSY', 'The conversation is changing too fast. Try again.');
    }
  }

  /** The brand's id of an operator (its `externalId` in the sites file), or null when it has none. */
  async agentRef(siteId: string, operatorId: string | null): Promise<string | null> {
    if (operatorId === null) return null;
    const row = await this.rt.store.findOperator(operatorId);
    const spec = row && this.rt.sites.get(siteId)?.operators.find((o) => o.username === row.username);
    return spec?.externalId ?? null;
  }

  /** The agent assigned to an open conversation. */
  async assignedTo(operator: OperatorRow, id: string): Promise<ConversationRow> {
    const conversation = await this.get(id);
    if (conversation.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
    if (conversation.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    if (conversation.assignedAgentId !== operator.id) throw new Refusal('NOT_ASSIGNED', 'You are not assigned to this conversation.');
    return conversation;
  }

  /** One page of a site's queue: waiting first, then active, then closed; newest first in each. */
  async page(siteId: string, limit: number, after?: QueuePosition): Promise<QueuePage> {
    // One more than asked tells whether there is a next page without a count over the table.
    const rows = await this.rt.store.listConversationPage(siteId, limit + 1, after);
    const conversations = rows.slice(0, limit);
    const last = conversations.at(-1);
    return rows.length > limit && last
      ? { conversations, next: { state: last.state, createdAt: last.createdAt, id: last.id } }
      : { conversations };
  }

  /** Count a visitor's message from `address` against the site's limits (throws RATE_LIMITED). */
  async limitVisitorMessage(conversation: ConversationRow, address: string): Promise<void> {
    await this.floods.hit('message', conversation.siteId, address);
  }

  /** Assign a waiting conversation to `operator` (again to the same one: no change, nothing told). */
  async assign(operator: OperatorRow, id: string): Promise<ConversationRow> {
    const { after, changed } = await this.move(id, (current) => {
      if (current.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
      if (current.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
      if (current.assignedAgentId === operator.id) return undefined;
      if (current.state !== 'waiting') throw new Refusal('NOT_ASSIGNED', 'This conversation is assigned to another agent.');
      return { to: { state: 'active', assignedAgentId: operator.id }, type: 'conversation.assigned' };
    });
    if (changed) {
      await this.publishState(after);
      await this.post(after, { kind: 'text', from: 'system', authorName: 'System', text: `${operator.displayName} joined the chat.` });
    }
    return after;
  }

  /** Close the conversation (a closed one: no change, nothing told); its visitor streams end. */
  async close(id: string): Promise<ConversationRow> {
    const { after, changed } = await this.move(id, (current) =>
      current.state === 'closed'
        ? undefined
        : { to: { state: 'closed', assignedAgentId: current.assignedAgentId }, type: 'conversation.closed' },
    );
    if (changed) await this.publishState(after);
    // The visitor's streams have heard "closed"; nothing more will come, so they end and free their slots.
    await this.rt.hub.endVisitors(id);
    return after;
  }

  async messages(id: string): Promise<MessageRow[]> {
    return this.rt.store.listMessages(id);
  }

  /** Append to the transcript and tell the visitor and the operators who may see it. */
  async post(conversation: ConversationRow, message: NewMessage): Promise<MessageRow> {
    const row = this.newMessage(conversation, message);
    await this.rt.store.insertMessage(row);
    await this.publish(conversation, row);
    return row;
  }

  /** A message row for `conversation`, not stored yet (for a store call that writes it with more). */
  newMessage(conversation: ConversationRow, message: NewMessage): MessageRow {
    return { id: randomUUID(), conversationId: conversation.id, at: this.rt.clock(), ...message };
  }

  /** Tell the visitor and the operators who may read the conversation about a stored message. */
  async publish(conversation: ConversationRow, row: MessageRow): Promise<void> {
    await this.publishTo(conversation, row, await this.readers(conversation));
  }

  /**
   * The operators who may read the conversation's messages, for {@link publishTo}: none named
   * (every operator of the site) while no one is assigned; else the assigned agent and the
   * operators watching it. Resolved to operator ids now: the log entry is data every instance
   * (and a replay) reads alike.
   */
  async readers(conversation: ConversationRow): Promise<readonly string[] | undefined> {
    const assigned = conversation.assignedAgentId;
    if (assigned === null) return undefined;
    // The watchers matter only to an operator listening who is not the assigned agent: without
    // one (an agent alone on the site), no read.
    const watchers = (await this.rt.hub.hasOtherSiteListener(conversation.siteId, assigned))
      ? new Set(await this.rt.store.listWatchers(conversation.id))
      : new Set<string>();
    return [assigned, ...watchers];
  }

  /** Tell the visitor and `readers` (from {@link readers}) about a stored message. */
  publishTo(conversation: ConversationRow, row: MessageRow, readers: readonly string[] | undefined): Promise<void> {
    const view = messageView(row);
    return this.rt.hub.toConversation(
      conversation.id,
      { type: 'message', message: view },
      conversation.siteId,
      { type: 'message', conversationId: conversation.id, message: view },
      readers,
    );
  }

  /** Tell the visitor and the site's operators a conversation's state (a new one, or a change). */
  async publishState(conversation: ConversationRow): Promise<void> {
    await this.rt.hub.toConversation(conversation.id, { type: 'conversation', state: conversation.state }, conversation.siteId, {
      type: 'conversation',
      conversation: conversationView(conversation),
    });
  }
}
