/**
 * What the agent does with the invitations of one conversation, and what the event stream says
 * about them: send, cancel, retrieve and open answers; follow states, submissions, the
 * conversation's closing and its transfer to another agent. The private key of each invitation
 * (and the retrieve OTK the stream hands over) lives here, in memory only, until the invitation
 * ends or the panel drops everything.
 */
import { localize, type AgentEvent, type InvitationView } from '@secure-forms/shared';
import { generateInvitationKeyPair } from '@secure-forms/shared/envelope';
import { isAbortError, type PanelApiClient } from '../../internal/api-client.js';
import { followAgentEvents } from '../../internal/agent-event-stream.js';
import { problemCode, type PanelErrorCode } from '../../internal/problems.js';
import { CANCELLABLE, hasEnded, type InvitationEntry, type Retrieval } from './invitation-ledger.js';
import { KeyRing } from './key-ring.js';
import * as m from './messages.js';
import { openRetrieved } from './open-answers.js';
import type { PanelContext, PanelHost } from './panel-context.js';
import {
  SecureFormPanelErrorEvent,
  SecureFormPanelSentEvent,
  SecureFormPanelStatusEvent,
  SecureFormPanelSubmittedEvent,
} from './secure-form-panel.events.js';

/**
 * Sends, cancels and retrieves, and follows the operator's event stream, for the panel's open
 * scope. Every async step keeps the API client it started with and drops its result once that
 * client is closed. No lifecycle of its own: the host calls `clear()` when it drops everything.
 */
export class InvitationActions {
  readonly #host: PanelHost;
  readonly #ctx: PanelContext;
  readonly #keys = new KeyRing();
  #sending = false;
  #conversationClosed = false;
  #transferred = false;

  constructor(host: PanelHost, context: PanelContext) {
    this.#host = host;
    this.#ctx = context;
  }

  /** A send is under way. */
  get sending(): boolean {
    return this.#sending;
  }

  /** The conversation has ended: nothing more may be sent, and the keys are gone. */
  get conversationClosed(): boolean {
    return this.#conversationClosed;
  }

  /** The conversation is now assigned to another agent than this panel's operator. */
  get transferred(): boolean {
    return this.#transferred;
  }

  /** Drop every key and retrieve OTK and forget the conversation's state (the scope closed). */
  clear(): void {
    this.#keys.clear();
    this.#sending = this.#conversationClosed = this.#transferred = false;
  }

  /**
   * Drop the off-the-record values whose time is up at `now`, calling `onDrop` with each dropped
   * field's key, and keep the countdown's announcements; return whether a countdown still runs.
   */
  expireOffTheRecord(now: number, onDrop: (key: string) => void): boolean {
    const { invitations, focus, live } = this.#ctx;
    const pending = invitations.expireOffTheRecord(now, (key) => {
      onDrop(key);
      // Focus on a deleted value's button goes to the note that says why it went.
      focus.after(`#otr-${key.split(':')[0]}`);
      if (live.text !== m.offTheRecordGone()) void live.announce(m.offTheRecordGone());
    });
    live.countdown(invitations.soonestOffTheRecord(), now);
    return pending;
  }

  /** List what others sent in the conversation, then follow the operator's event stream until `signal` aborts. */
  follow(api: PanelApiClient, signal: AbortSignal): void {
    void this.#loadOthers(api);
    void followAgentEvents({
      url: api.url('/agent/events'),
      headers: api.sessionHeaders(),
      signal,
      onEvent: (event) => {
        if (!api.closed) this.#onAgentEvent(event);
      },
      onRefused: (error) => {
        if (!api.closed) this.#ctx.fail(problemCode(error));
      },
    });
  }

  /** Send `formId` into the conversation with a fresh key pair (also "Send again"). */
  async send(formId: string): Promise<void> {
    const api = this.#ctx.scope.api;
    const form = this.#ctx.forms()?.find((f) => f.id === formId);
    if (!api || !form || this.#sending || this.#conversationClosed || this.#transferred) return;
    this.#setSending(true);
    this.#ctx.clear();
    try {
      const { privateKey, publicJwk } = await generateInvitationKeyPair();
      const invitation = await api.createInvitation(this.#host.conversationId, { formId: form.id, publicKey: publicJwk });
      if (api.closed) return;
      this.#keys.setKey(invitation.id, privateKey);
      this.#upsert(invitation, false);
      this.#host.dispatchEvent(new SecureFormPanelSentEvent({ invitationId: invitation.id, formId: invitation.formId }));
      void this.#ctx.live.announce(m.sent(localize(invitation.formTitle, this.#ctx.locale())));
    } catch (error) {
      if (api.closed || isAbortError(error)) return;
      this.#ctx.fail(problemCode(error));
    } finally {
      if (!api.closed) this.#setSending(false);
    }
  }

  /** Cancel an invitation that is still open: its OTKs stop working and its key is dropped. */
  async cancel(entry: InvitationEntry): Promise<void> {
    const api = this.#ctx.scope.api;
    if (!api || !CANCELLABLE.has(entry.state)) return;
    this.#keys.drop(entry.id);
    try {
      const view = await api.cancelInvitation(entry.id);
      if (api.closed) return;
      this.#upsert(view, true);
      void this.#ctx.live.announce(m.cancelled(localize(entry.formTitle, this.#ctx.locale())));
    } catch (error) {
      if (api.closed || isAbortError(error)) return;
      this.#ctx.fail(problemCode(error));
    }
  }

  /** Retrieve and open a submission's answers with the invitation's key (also "Retrieve again"). */
  async retrieve(entry: InvitationEntry): Promise<void> {
    const api = this.#ctx.scope.api;
    const submissionId = entry.submissionId;
    if (!api || !submissionId) return;
    const key = this.#keys.key(entry.id);
    if (!key) return this.#failRetrieval(entry, this.#noKey());
    this.#setRetrieval(entry, { status: 'retrieving' });
    try {
      // A retrieve OTK is spent by one attempt, whatever its outcome.
      const otk = this.#keys.takeRetrieveOtk(entry.id) ?? (await api.freshRetrieveOtk(submissionId));
      if (api.closed) return;
      const ready = await openRetrieved(entry, await api.retrieve(submissionId, otk), key, this.#ctx.forms(), this.#ctx.locale());
      if (api.closed) return;
      // The key was dropped meanwhile (conversation closed or transferred, invitation ended).
      if (!this.#keys.hasKey(entry.id)) return this.#failRetrieval(entry, this.#noKey());
      this.#setRetrieval(entry, ready);
      void this.#ctx.live.announce(m.answersReady());
      this.#ctx.reveal.tick();
    } catch (error) {
      if (api.closed || isAbortError(error)) return;
      const code = problemCode(error);
      // This panel sent the form, so it was assigned then: the conversation has passed on.
      if (code === 'NOT_ASSIGNED') return this.#onTransferred();
      this.#failRetrieval(entry, code);
    }
  }

  /**
   * The forms in the transcript that this panel did not send in this page. The backend tells
   * whose they are: this operator's (sent from another tab or before a reload: listed, but their
   * key is not here), or another agent's, refused with `NOT_SENDER` (listed with that reason). A
   * transcript this operator may not read (not assigned) lists nothing.
   */
  async #loadOthers(api: PanelApiClient): Promise<void> {
    const invitations = this.#ctx.invitations;
    try {
      for (const message of await api.listMessages(this.#host.conversationId)) {
        if (message.kind !== 'invitation' || invitations.has(message.invitationId)) continue;
        try {
          const view = await api.getInvitation(message.invitationId);
          if (api.closed || invitations.has(view.id)) continue;
          this.#upsert(view, false);
          const entry = invitations.get(view.id);
          if (entry?.submissionId) this.#setRetrieval(entry, { status: 'failed', code: 'KEY_NOT_HERE' });
        } catch (error) {
          if (api.closed || problemCode(error) !== 'NOT_SENDER' || invitations.has(message.invitationId)) continue;
          invitations.addOthers(message.invitationId, message.formTitle);
          this.#host.requestUpdate();
        }
      }
    } catch {
      // Not allowed to read the transcript (e.g. not assigned), or it failed: nothing to list.
    }
  }

  #onAgentEvent(event: AgentEvent): void {
    if (event.type === 'invitation') this.#upsert(event.invitation, true);
    if (event.type === 'submission') this.#onSubmission(event.invitationId, event.submissionId, event.retrieveOtk);
    if (event.type !== 'conversation' || event.conversation.id !== this.#host.conversationId) return;
    const { state, assignedAgentId } = event.conversation;
    if (state === 'closed') {
      this.#conversationClosed = true;
      this.#forget();
    } else if (this.#host.operatorId && assignedAgentId && assignedAgentId !== this.#host.operatorId) {
      this.#onTransferred();
    } else {
      // Assigned (back) to this operator, or unknown: list what others sent before.
      if (this.#transferred) this.#ctx.clear('TRANSFERRED');
      this.#transferred = false;
      this.#host.requestUpdate();
      const api = this.#ctx.scope.api;
      if (api) void this.#loadOthers(api);
    }
  }

  /**
   * The conversation passed to another agent: the backend no longer hands this operator the
   * answers of the forms it sent (`NOT_ASSIGNED`) and cancels those still open. Drop every key,
   * OTK and answer, say why on each of them, and stop offering to send.
   */
  #onTransferred(): void {
    if (this.#transferred) return;
    this.#transferred = true;
    this.#forget();
    this.#ctx.invitations.markTransferred();
    this.#ctx.fail('TRANSFERRED');
  }

  #onSubmission(invitationId: string, submissionId: string, retrieveOtk: string): void {
    const entry = this.#ctx.invitations.get(invitationId);
    if (!entry?.mine) return; // another conversation's invitation
    if (entry.retrieval.status === 'ready' || entry.retrieval.status === 'retrieving') return;
    entry.submissionId = submissionId;
    this.#keys.setRetrieveOtk(invitationId, retrieveOtk);
    this.#host.dispatchEvent(new SecureFormPanelSubmittedEvent({ invitationId, submissionId }));
    void this.#ctx.live.announce(m.submittedNotice());
    void this.retrieve(entry);
  }

  #upsert(view: InvitationView, fromStream: boolean): void {
    if (view.conversationId !== this.#host.conversationId) return;
    const steps = this.#ctx.invitations.upsert(view, fromStream, this.#transferred);
    if (!steps) return;
    if (hasEnded(view.state)) this.#keys.drop(view.id);
    for (const { state } of steps) this.#host.dispatchEvent(new SecureFormPanelStatusEvent({ invitationId: view.id, state }));
    this.#host.requestUpdate();
  }

  /** Drop every key and retrieve OTK, and hide the revealed value. */
  #forget(): void {
    this.#keys.clear();
    this.#ctx.reveal.hide();
    this.#host.requestUpdate();
  }

  /** Why this page holds no key for an invitation it lists. */
  #noKey(): PanelErrorCode {
    if (this.#conversationClosed) return 'CONVERSATION_CLOSED';
    return this.#transferred ? 'TRANSFERRED' : 'KEY_NOT_HERE';
  }

  #failRetrieval(entry: InvitationEntry, code: PanelErrorCode): void {
    this.#keys.dropRetrieveOtk(entry.id);
    this.#setRetrieval(entry, { status: 'failed', code });
    this.#host.dispatchEvent(new SecureFormPanelErrorEvent({ code }));
  }

  #setRetrieval(entry: InvitationEntry, retrieval: Retrieval): void {
    entry.retrieval = retrieval;
    this.#host.requestUpdate();
  }

  #setSending(sending: boolean): void {
    this.#sending = sending;
    this.#host.requestUpdate();
  }
}
