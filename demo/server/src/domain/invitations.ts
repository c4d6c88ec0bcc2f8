/**
 * Invitations: an agent asks the visitor of their conversation to fill one form, sealed to a key
 * pair the agent's panel made for this invitation only. The transcript gets the invitation id and
 * the form title; no key, no one-time key.
 */
import { randomUUID } from 'node:crypto';
import type { AgentEvent, CreateInvitationRequest, FormDefinition, InvitationState } from '@secure-forms/shared';
import type { Conversations } from './conversations.js';
import { usedRefusal, viewBinding } from './otk.js';
import { Refusal } from './refusal.js';
import { requireP256Point } from './public-keys.js';
import type { Runtime } from './runtime.js';
import type { SiteConfig } from '../sites/schema.js';
import type { ConversationRow, InvitationRow, MessageRow, OperatorRow, OtkRow, OtkSpend } from '../storage/types.js';
import { invitationView } from './views.js';

export class Invitations {
  constructor(
    private readonly rt: Runtime,
    private readonly conversations: Conversations,
  ) {}

  site(siteId: string): SiteConfig {
    const site = this.rt.sites.get(siteId);
    if (!site) throw new Refusal('NOT_FOUND', 'There is no such site.');
    return site;
  }

  /** The form definition an invitation was sent with. */
  formOf(invitation: Pick<InvitationRow, 'siteId' | 'formId' | 'formVersion'>): FormDefinition {
    const form = this.site(invitation.siteId).forms.find((f) => f.id === invitation.formId && f.version === invitation.formVersion);
    if (!form) throw new Refusal('FORM_NOT_FOUND', 'The form of this invitation is no longer configured.');
    return form;
  }

  view(invitation: InvitationRow) {
    return invitationView(invitation, this.formOf(invitation).title);
  }

  /** The invitation, expired first if its time is up. */
  async get(id: string): Promise<InvitationRow> {
    const invitation = await this.rt.store.findInvitation(id);
    if (!invitation) throw new Refusal('NOT_FOUND', 'There is no such invitation.');
    return this.expireIfDue(invitation);
  }

  /** The invitation (expired first if its time is up) and its conversation, read together. */
  async getWithConversation(id: string): Promise<{ invitation: InvitationRow; conversation: ConversationRow }> {
    return this.found(await this.rt.store.findInvitationWithConversation(id));
  }

  /** An invitation and its conversation the store read (with something else), as {@link getWithConversation} returns them. */
  async found(
    read: { invitation: InvitationRow; conversation: ConversationRow } | undefined,
  ): Promise<{ invitation: InvitationRow; conversation: ConversationRow }> {
    if (!read) throw new Refusal('NOT_FOUND', 'There is no such invitation.');
    return { invitation: await this.expireIfDue(read.invitation), conversation: read.conversation };
  }

  /**
   * An invitation expires when the site's invitation TTL has passed since it was sent, or when
   * every allowed open is used and the window of its last one-time key (view or submit) is over:
   * nothing the visitor holds can still lead to a submission.
   */
  isDue(invitation: InvitationRow, now = this.rt.clock()): boolean {
    if (invitation.submissionId !== null || (invitation.state !== 'sent' && invitation.state !== 'opened')) return false;
    const site = this.rt.sites.get(invitation.siteId);
    if (site && now >= invitation.sentAt + site.invitationTtlSeconds * 1000) return true;
    return invitation.opens >= invitation.openLimit && invitation.submitDeadline !== null && now >= invitation.submitDeadline;
  }

  async expireIfDue(invitation: InvitationRow): Promise<InvitationRow> {
    if (!this.isDue(invitation)) return invitation;
    return (await this.finish(invitation, 'expired')) ?? (await this.rt.store.findInvitation(invitation.id)) ?? invitation;
  }

  /** Expire every invitation whose time is up (the housekeeping job). */
  async sweepExpired(): Promise<number> {
    let n = 0;
    for (const invitation of await this.rt.store.listOpenInvitations()) {
      if (this.isDue(invitation) && (await this.finish(invitation, 'expired'))) n++;
    }
    return n;
  }

  /** Move to cancelled or expired (only from sent or opened); status line, sender event, audit. */
  private async finish(invitation: InvitationRow, state: 'cancelled' | 'expired', actor = 'system'): Promise<InvitationRow | undefined> {
    const now = this.rt.clock();
    const finished = await this.rt.store.finishInvitation(invitation.id, state, now);
    if (!finished) return undefined;
    await this.rt.store.stampInvitationState(finished.id, state, now);
    const row = { ...finished, stateTimes: { ...finished.stateTimes, [state]: now } };
    const conversation = await this.conversations.get(row.conversationId);
    await this.conversations.post(conversation, { kind: 'invitation-status', invitationId: row.id, state });
    await this.tellSender(row);
    if (state === 'expired') {
      this.rt.audit.write({
        at: new Date(now).toISOString(),
        action: 'invitation.expire',
        outcome: 'success',
        actor,
        siteId: row.siteId,
        conversationId: row.conversationId,
        invitationId: row.id,
      });
    }
    return row;
  }

  /** `POST /invitations/:iid/cancel`: the sender withdraws a form not yet submitted. */
  async cancel(operator: OperatorRow, id: string): Promise<InvitationRow> {
    const invitation = await this.forSender(operator, id);
    this.refuseFinished(invitation);
    const row = await this.finish(invitation, 'cancelled');
    if (!row) this.refuseFinished(await this.get(id));
    return row ?? invitation;
  }

  /** Cancel the open invitations an agent sent in a conversation (on transfer). */
  async cancelOpenOf(conversationId: string, agentId: string): Promise<void> {
    for (const invitation of await this.rt.store.listInvitationsByConversation(conversationId)) {
      if (invitation.agentId === agentId) await this.finish(invitation, 'cancelled');
    }
  }

  /** The invitation, for the agent who sent it. */
  async forSender(operator: OperatorRow, id: string): Promise<InvitationRow> {
    return this.refuseOthers(operator, await this.get(id));
  }

  /** As {@link forSender}, for an invitation and its conversation the store read with something else (a submission). */
  async forSenderWithConversation(
    operator: OperatorRow,
    stored: { invitation: InvitationRow; conversation: ConversationRow },
  ): Promise<{ invitation: InvitationRow; conversation: ConversationRow }> {
    const read = await this.found(stored);
    return { invitation: this.refuseOthers(operator, read.invitation), conversation: read.conversation };
  }

  private refuseOthers(operator: OperatorRow, invitation: InvitationRow): InvitationRow {
    if (invitation.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such invitation.');
    if (invitation.agentId !== operator.id) throw new Refusal('NOT_SENDER', 'Only the agent who sent this form can do that.');
    return invitation;
  }

  async create(operator: OperatorRow, conversationId: string, request: CreateInvitationRequest): Promise<InvitationRow> {
    if (!operator.permissions.includes('use-secure-form')) {
      throw new Refusal('FORBIDDEN', 'You do not have the permission to use secure forms.');
    }
    const conversation = await this.conversations.assignedTo(operator, conversationId);
    requireP256Point(request.publicKey);
    const form = this.site(conversation.siteId).forms.find((f) => f.id === request.formId);
    if (!form) throw new Refusal('FORM_NOT_FOUND', 'This site has no such form.');
    const now = this.rt.clock();
    const invitation: InvitationRow = {
      id: randomUUID(),
      siteId: conversation.siteId,
      conversationId: conversation.id,
      agentId: operator.id,
      formId: form.id,
      formVersion: form.version,
      publicKey: request.publicKey,
      state: 'sent',
      opens: 0,
      openLimit: form.openLimit,
      extensionsUsed: 0,
      submissionId: null,
      sentAt: now,
      updatedAt: now,
      submitDeadline: null,
      historyKid: null,
      stateTimes: {},
    };
    // The invitation and its line in the transcript: one transaction.
    const message = this.conversations.newMessage(conversation, {
      kind: 'invitation',
      invitationId: invitation.id,
      formTitle: JSON.stringify(form.title),
    });
    await this.rt.store.insertInvitation(invitation, message);
    await this.announce(conversation, invitation, message);
    return invitation;
  }

  /**
   * The visitor opens the invitation (as read by the caller, expired if due): count the open and
   * hand out a view OTK. The count, the key, the key's window and the status line are one
   * transaction (four write transactions before).
   */
  async open(
    conversation: ConversationRow,
    invitation: InvitationRow,
  ): Promise<{ invitation: InvitationRow; viewOtk: string; expiresAt: number }> {
    this.refuseUnopenable(conversation, invitation);
    const site = this.site(invitation.siteId);
    const view = this.rt.otks.make(viewBinding(invitation), site.otkTtlSeconds.view);
    const opened = await this.countOpen(conversation, invitation, view.row);
    return { invitation: opened, viewOtk: view.otk, expiresAt: view.expiresAt };
  }

  /**
   * Refuse an open of `invitation` by the visitor of `conversation`: not theirs (NOT_FOUND), the
   * conversation ended, or the invitation finished. Every open is checked here before anything
   * is prepared for it, so that the open routes refuse alike.
   */
  refuseUnopenable(conversation: ConversationRow, invitation: InvitationRow): void {
    if (invitation.conversationId !== conversation.id) throw new Refusal('NOT_FOUND', 'There is no such invitation.');
    if (conversation.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    this.refuseFinished(invitation);
  }

  /**
   * Count an open {@link refuseUnopenable} passed, in one transaction with `key`, the key the open
   * hands out (a view key; the frame's one-request open, a submit key), its window, `historyKid`
   * when given, and from sent the 'opened' status line; then publish the line and tell the
   * sender. OPEN_LIMIT_REACHED (or the refusal of the state it found) when the open does not
   * count: then nothing is written, and the key is never valid.
   */
  async countOpen(conversation: ConversationRow, invitation: InvitationRow, key: OtkRow, historyKid?: string): Promise<InvitationRow> {
    const message =
      invitation.state === 'sent'
        ? this.conversations.newMessage(conversation, { kind: 'invitation-status', invitationId: invitation.id, state: 'opened' })
        : undefined;
    const counted = await this.rt.store.openInvitation(invitation.id, this.rt.clock(), key, message, historyKid);
    if (!counted) throw new Refusal('NOT_FOUND', 'There is no such invitation.');
    if (!counted.counted) {
      this.refuseFinished(counted.row);
      throw new Refusal('OPEN_LIMIT_REACHED', 'This form has been opened as many times as it may be.');
    }
    if (message) await this.announce(conversation, counted.row, message);
    else await this.tellSender(counted.row);
    return counted.row;
  }

  refuseFinished(invitation: InvitationRow): void {
    if (invitation.submissionId !== null || invitation.state === 'submitted' || invitation.state === 'viewed') {
      throw new Refusal('ALREADY_SUBMITTED', 'This form has already been sent.');
    }
    if (invitation.state === 'cancelled') throw new Refusal('INVITATION_CANCELLED', 'This form was withdrawn.');
    if (invitation.state === 'expired') throw new Refusal('INVITATION_EXPIRED', 'This form has expired.');
  }

  /**
   * Record a new state: a status line in the transcript, and an event to the sender. With `spend`
   * (a key the request came with), the key is spent in the same transaction: OTK_USED, and nothing
   * recorded, when another request spent it first.
   */
  async status(conversation: ConversationRow, invitation: InvitationRow, state: InvitationState, spend?: OtkSpend): Promise<InvitationRow> {
    const now = this.rt.clock();
    // The state, its time and the status line: one transaction (three write transactions before).
    const message = this.conversations.newMessage(conversation, { kind: 'invitation-status', invitationId: invitation.id, state });
    const recorded = await this.rt.store.recordInvitationState(invitation.id, state, now, invitation.state !== state, message, spend);
    if (!recorded) throw usedRefusal();
    const updated = { ...invitation, state, updatedAt: now, stateTimes: { [state]: now, ...invitation.stateTimes } };
    // A concurrent request moved it first: that request announces the one status line.
    if (recorded === 'recorded') await this.announce(conversation, updated, message);
    return updated;
  }

  /**
   * Tell the conversation about a stored line of the transcript, and the sender about the
   * invitation, then `more` to the sender. Each event waits, before it leaves, until the commits
   * made so far are durable (app.ts); published together, they wait for the same sync of the log.
   * One after the other, each waited for the commits other requests made while the one before
   * waited, so that a request lived through two or three syncs instead of one, and under load
   * its objects outlived the young generation. The bench's round trips at concurrency 64, four
   * interleaved pairs against publishing one after the other: CPU per round trip 2.28 → 1.94 ms,
   * 525 → 615 round trips/s; CPU per request: create 410 → 338 µs, open 516 → 436, submit 970 → 668.
   */
  async announce(conversation: ConversationRow, invitation: InvitationRow, message: MessageRow, more?: AgentEvent): Promise<void> {
    const readers = await this.conversations.readers(conversation);
    // Called in this order, in one turn: the log takes them in this order.
    await Promise.all([
      this.conversations.publishTo(conversation, message, readers),
      this.tellSender(invitation),
      ...(more ? [this.rt.hub.toAgent(invitation.agentId, more)] : []),
    ]);
  }

  /** Tell the sender about the invitation. */
  tellSender(invitation: InvitationRow): Promise<void> {
    return this.rt.hub.toAgent(invitation.agentId, { type: 'invitation', invitation: this.view(invitation) });
  }
}
