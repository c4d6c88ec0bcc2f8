/**
 * The sealed answers: the frame gets the form and a submit OTK (opening the invitation with the
 * visitor's token, or redeeming a view OTK the host's open got), submits the two envelopes, and
 * the sending agent retrieves them with a retrieve OTK and their session.
 *
 * At rest: the on-the-record envelope wrapped once more by the vault (AES-256-GCM) under a new
 * UUID; the off-the-record envelope in memory only, for the site's TTL.
 */
import { randomUUID } from 'node:crypto';
import {
  formRef,
  isOffTheRecord,
  sealedEnvelopeSchema,
  type FieldIssue,
  type OpenFormResponse,
  type RetrieveResponse,
  type SubmitRequest,
  type ViewFormResponse,
} from '@secure-forms/shared';
import type { Conversations } from './conversations.js';
import { Refusal } from './refusal.js';
import type { Invitations } from './invitations.js';
import type { Runtime } from './runtime.js';
import { expiredRefusal, retrieveBinding, submitBinding, usedRefusal, type InvitationRead, type IssuedOtk } from './otk.js';
import type { ConversationRow, InvitationRow, OperatorRow, SubmissionRow } from '../storage/types.js';
import { iso, opensLeft } from './views.js';

function addMonths(ms: number, months: number): number {
  const d = new Date(ms);
  d.setUTCMonth(d.getUTCMonth() + months);
  return d.getTime();
}

export class Submissions {
  constructor(
    private readonly rt: Runtime,
    private readonly conversations: Conversations,
    private readonly invitations: Invitations,
  ) {}

  /** The invitation a view or submit key names, with what the key must be bound to (see OtkService.checkForInvitation). */
  private readonly keyInvitation = async (read: InvitationRead | undefined) => {
    const { invitation, conversation } = await this.invitations.found(read);
    return { invitation, conversation, siteId: invitation.siteId, subject: invitation.conversationId };
  };

  /** The invitation still open for answers, and its conversation (read with it, see keyInvitation). */
  private openInvitation(read: { invitation: InvitationRow; conversation: ConversationRow }): {
    invitation: InvitationRow;
    conversation: ConversationRow;
  } {
    this.invitations.refuseFinished(read.invitation);
    if (read.conversation.state === 'closed') throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended.');
    return read;
  }

  /**
   * `POST /forms/view`: spend the view OTK; the form, the agent's key, and a submit OTK. The view
   * key is spent in the unit of work that stores the submit key (one for the request); a
   * refusal on the way spends it on its own.
   */
  async viewForm(otk: string): Promise<{ response: ViewFormResponse; invitation: InvitationRow }> {
    const { key, resource } = await this.rt.otks.checkForInvitation(otk, { action: 'view' }, this.keyInvitation);
    const { invitation } = await this.rt.otks.spendingOnRefusal(key.hash, () => this.openInvitation(resource));
    // The view key's spend, the submit key, its window and the history key id: one transaction.
    return this.formWithSubmitKey(invitation, async (ttlSeconds, historyKid) => ({
      invitation,
      submit: await this.rt.otks.issueSubmitKey(invitation, ttlSeconds, historyKid, key.hash),
    }));
  }

  /**
   * `POST /invitations/:iid/view`, the frame's one request on open: the visitor (of `conversation`,
   * authenticated by its token) opens the invitation and gets its form, as `POST /invitations/:iid/open`
   * then `POST /forms/view` would give it, with no view key in between. The open's count, the
   * submit key, its window, the history key id and the status line are one transaction.
   */
  async openForm(
    conversation: ConversationRow,
    invitation: InvitationRow,
  ): Promise<{ response: OpenFormResponse; invitation: InvitationRow }> {
    this.invitations.refuseUnopenable(conversation, invitation);
    const { response, invitation: opened } = await this.formWithSubmitKey(invitation, async (ttlSeconds, historyKid) => {
      const submit = this.rt.otks.make(submitBinding(invitation), ttlSeconds);
      return { invitation: await this.invitations.countOpen(conversation, invitation, submit.row, historyKid), submit };
    });
    return { invitation: opened, response: { ...response, opensLeft: opensLeft(opened) } };
  }

  /**
   * The form of an invitation open for answers as the frame gets it, whichever way it asked: its
   * definition, the keys to seal on-the-record answers to (the agent's, then the site history key
   * where the site has history viewing) and the off-the-record one, and a submit key. `store`
   * stores that key, for `ttlSeconds`, in the transaction of what the request writes, with the
   * window it opens and `historyKid` (the history key's id, when there is one), and answers the
   * invitation as it then is.
   */
  private async formWithSubmitKey(
    invitation: InvitationRow,
    store: (ttlSeconds: number, historyKid: string | undefined) => Promise<{ invitation: InvitationRow; submit: IssuedOtk }>,
  ): Promise<{ response: ViewFormResponse; invitation: InvitationRow }> {
    const site = this.invitations.site(invitation.siteId);
    const form = this.invitations.formOf(invitation);
    const publicKey = invitation.publicKey;
    const recordKeys = [publicKey];
    let historyKid: string | undefined;
    if (site.historyViewing) {
      const history = await this.rt.historyKeys.publicKey(invitation.siteId);
      recordKeys.push(history);
      historyKid = history.kid ?? '';
    }
    const stored = await store(site.otkTtlSeconds.submit, historyKid);
    return {
      invitation: stored.invitation,
      response: {
        invitationId: invitation.id,
        siteId: invitation.siteId,
        form,
        recordKeys,
        offTheRecordKey: publicKey,
        submitOtk: stored.submit.otk,
        submitDeadline: iso(stored.submit.expiresAt),
        extensionsLeft: Math.max(0, site.submitExtensions - stored.invitation.extensionsUsed),
      },
    };
  }

  /**
   * `POST /submissions/extend`: trade the submit OTK for a fresh one, while extensions last. The
   * key is read first and spent in the transaction that stores the fresh one, so a replay of a
   * spent key costs a read, never a write; a refusal on the way spends it on its own.
   */
  async extend(otk: string): Promise<{ invitation: InvitationRow; submitOtk: string; submitDeadline: string; extensionsLeft: number }> {
    const { key, resource } = await this.rt.otks.checkForInvitation(otk, { action: 'submit' }, this.keyInvitation);
    const { invitation, site } = await this.rt.otks.spendingOnRefusal(key.hash, () => {
      const open = this.openInvitation(resource);
      return { invitation: open.invitation, site: this.invitations.site(open.invitation.siteId) };
    });
    const fresh = await this.rt.otks.extendSubmitKey(invitation, site.otkTtlSeconds.submit, site.submitExtensions, key.hash);
    if (!fresh) throw new Refusal('INVITATION_EXPIRED', 'No more time can be added to this form.');
    return {
      invitation,
      submitOtk: fresh.otk,
      submitDeadline: iso(fresh.expiresAt),
      extensionsLeft: Math.max(0, site.submitExtensions - invitation.extensionsUsed - 1),
    };
  }

  /** Which field ids may travel in each part, from the form definition. */
  private checkParts(invitation: InvitationRow, request: SubmitRequest): void {
    const form = this.invitations.formOf(invitation);
    const offIds = new Set(form.fields.filter((f) => isOffTheRecord(f)).map((f) => f.id));
    const onIds = new Set(form.fields.filter((f) => !isOffTheRecord(f)).map((f) => f.id));
    const issues: FieldIssue[] = [];
    request.fieldIds.onTheRecord.forEach((id, i) => {
      if (!onIds.has(id))
        issues.push({ path: `fieldIds.onTheRecord.${i}`, reason: offIds.has(id) ? 'off_the_record_field' : 'unknown_field' });
    });
    request.fieldIds.offTheRecord.forEach((id, i) => {
      if (!offIds.has(id))
        issues.push({ path: `fieldIds.offTheRecord.${i}`, reason: onIds.has(id) ? 'on_the_record_field' : 'unknown_field' });
    });
    if ((request.onTheRecord === null) !== (request.fieldIds.onTheRecord.length === 0)) {
      issues.push({ path: 'onTheRecord', reason: 'does_not_match_field_ids' });
    }
    if ((request.offTheRecord === null) !== (request.fieldIds.offTheRecord.length === 0)) {
      issues.push({ path: 'offTheRecord', reason: 'does_not_match_field_ids' });
    }
    if (issues.length > 0) throw new Refusal('VALIDATION_FAILED', 'The submission does not match the form.', issues);
  }

  /**
   * `POST /submissions`: store the sealed answers and spend the submit OTK in one transaction, then
   * tell the sender. A refusal spends the key too (as every redemption attempt does); a failure to
   * store does not.
   */
  async submit(otk: string, request: SubmitRequest): Promise<{ submission: SubmissionRow; invitation: InvitationRow }> {
    const { key, resource } = await this.rt.otks.checkForInvitation(
      otk,
      { action: 'submit', resourceId: request.invitationId },
      this.keyInvitation,
    );
    // A refusal spends the key, as every redemption attempt does; a failure of ours (the database
    // busy, a crash) leaves it, so the visitor can send the same answers again.
    const { submission, invitation, conversation, status, retrieve } = await this.rt.otks.spendingOnRefusal(key.hash, async () => {
      const { invitation, conversation } = this.openInvitation(resource);
      this.checkParts(invitation, request);
      const site = this.invitations.site(invitation.siteId);
      const form = this.invitations.formOf(invitation);
      const now = this.rt.clock();
      const id = randomUUID();
      const wrapped = request.onTheRecord ? this.rt.vault.wrap(JSON.stringify(request.onTheRecord), id, invitation.siteId) : null;
      const submission: SubmissionRow = {
        id,
        siteId: invitation.siteId,
        invitationId: invitation.id,
        formRef: formRef(form),
        keyId: wrapped?.keyId ?? null,
        iv: wrapped?.iv ?? null,
        ciphertext: wrapped?.ciphertext ?? null,
        tag: wrapped?.tag ?? null,
        fieldIds: request.fieldIds,
        hints: request.hints,
        offTheRecordPresent: request.offTheRecord !== null,
        offTheRecordExpiresAt: request.offTheRecord ? now + site.offTheRecord.ttlSeconds * 1000 : null,
        submittedAt: now,
        purgeAfter: addMonths(now, site.retentionMonths),
      };
      // The answers, the spent submit key, the status line and the retrieve key: one transaction.
      const status = this.conversations.newMessage(conversation, {
        kind: 'invitation-status',
        invitationId: invitation.id,
        state: 'submitted',
      });
      const retrieve = this.rt.otks.make(retrieveBinding(invitation, id), site.otkTtlSeconds.retrieve);
      // The off-the-record part first, under the new submission's id: when it cannot be held (a
      // full Redis), nothing is stored and the submit key is left for a retry; when the
      // transaction then does not store the submission, it is taken back (no one could take it:
      // no submission has that id; should the delete fail, it expires).
      const offTheRecord = request.offTheRecord ? this.rt.offTheRecord(invitation.siteId) : null;
      if (offTheRecord && request.offTheRecord) await offTheRecord.put(id, request.offTheRecord, site.offTheRecord.ttlSeconds * 1000);
      let stored: Awaited<ReturnType<typeof this.rt.store.insertSubmission>> | undefined;
      try {
        stored = await this.rt.store.insertSubmission(submission, now, key.hash, { message: status, otk: retrieve.row });
      } finally {
        if (offTheRecord && stored !== 'stored') await offTheRecord.delete(id).catch(() => undefined);
      }
      switch (stored) {
        case 'otk-used':
          throw usedRefusal();
        case 'otk-expired':
          throw expiredRefusal();
        case 'already-submitted':
          throw new Refusal('ALREADY_SUBMITTED', 'This form has already been sent.');
        case 'stored':
          break;
      }
      return { submission, invitation, conversation, status, retrieve };
    });
    const submitted: InvitationRow = {
      ...invitation,
      submissionId: submission.id,
      state: 'submitted',
      updatedAt: submission.submittedAt,
      stateTimes: { submitted: submission.submittedAt, ...invitation.stateTimes },
    };
    // The retrieve key travels in the event log too (memory, or a Redis without persistence): a
    // replay gives it to the sending agent's reconnecting stream, and to no one else.
    await this.invitations.announce(conversation, submitted, status, {
      type: 'submission',
      invitationId: invitation.id,
      submissionId: submission.id,
      retrieveOtk: retrieve.otk,
      retrieveOtkExpiresAt: iso(retrieve.expiresAt),
    });
    return { submission, invitation: submitted };
  }

  private issueRetrieve(invitation: InvitationRow, submissionId: string) {
    const site = this.invitations.site(invitation.siteId);
    return this.rt.otks.issue(retrieveBinding(invitation, submissionId), site.otkTtlSeconds.retrieve);
  }

  /** The submission, for its sender, while the conversation is open. */
  private async forSender(
    operator: OperatorRow,
    submissionId: string,
  ): Promise<{ submission: SubmissionRow; invitation: InvitationRow; conversation: ConversationRow }> {
    // The submission, its invitation and their conversation: one statement.
    return this.ofSender(operator, await this.rt.store.findSubmissionWithInvitation(submissionId));
  }

  /** {@link forSender}'s checks of what the store read (with a key, for a retrieve). */
  private async ofSender<T extends { submission: SubmissionRow; invitation: { invitation: InvitationRow; conversation: ConversationRow } }>(
    operator: OperatorRow,
    read: T | undefined,
  ): Promise<Omit<T, 'invitation'> & { invitation: InvitationRow; conversation: ConversationRow }> {
    if (!read || read.submission.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such submission.');
    const { invitation, conversation } = await this.invitations.forSenderWithConversation(operator, read.invitation);
    if (conversation.state === 'closed')
      throw new Refusal('CONVERSATION_CLOSED', 'The conversation has ended; its forms can no longer be read.');
    if (conversation.assignedAgentId !== operator.id) throw new Refusal('NOT_ASSIGNED', 'The conversation has passed to another agent.');
    return { ...read, invitation, conversation };
  }

  /**
   * `POST /submissions/:sid/retrieve`: sender's session and a retrieve OTK bound to both. The
   * off-the-record part leaves once: it is taken (returned and deleted) as the last step, after
   * everything that could still refuse or fail, so a refusal never costs the agent the CVV. If the
   * response is then lost on the way, the value is gone anyway: the price of leaving once.
   */
  async retrieve(
    operator: OperatorRow,
    submissionId: string,
    otk: string,
  ): Promise<{ response: RetrieveResponse; invitation: InvitationRow }> {
    // The submission, its invitation, their conversation and the presented key: one statement. The
    // sender's checks come first, as they would without the key.
    const hash = this.rt.otks.hashOf(otk);
    const read = await this.rt.store.findSubmissionWithInvitationAndKey(submissionId, hash);
    const { submission, invitation, conversation } = await this.ofSender(operator, read);
    // A key that does not fit is spent and refused here; one that fits is spent below, in the
    // unit of work that records the first retrieval (one for the request).
    const key = await this.rt.otks.checkRead(hash, read?.key, {
      action: 'retrieve',
      siteId: submission.siteId,
      resourceId: submission.id,
      subject: operator.id,
    });
    let onTheRecord = null;
    if (submission.ciphertext && submission.iv && submission.tag && submission.keyId) {
      const json = await this.rt.vault.open(
        { keyId: submission.keyId, iv: submission.iv, ciphertext: submission.ciphertext, tag: submission.tag },
        submission.id,
        submission.siteId,
      );
      onTheRecord = sealedEnvelopeSchema.parse(JSON.parse(json));
    }
    let viewed = invitation;
    if (invitation.state === 'viewed') await this.rt.otks.spendChecked(key.hash);
    else viewed = await this.invitations.status(conversation, invitation, 'viewed', this.rt.otks.spendOf(key.hash));
    const taken = submission.offTheRecordPresent ? await this.rt.offTheRecord(submission.siteId).take(submission.id) : null;
    const offTheRecord = taken?.state === 'available' ? taken.envelope : null;
    const offTheRecordState = taken?.state ?? 'none';
    return {
      invitation: viewed,
      response: {
        submissionId: submission.id,
        invitationId: submission.invitationId,
        siteId: submission.siteId,
        formRef: submission.formRef,
        submittedAt: iso(submission.submittedAt),
        onTheRecord,
        offTheRecord,
        offTheRecordState,
        offTheRecordExpiresAt: taken?.state === 'available' ? iso(taken.expiresAt) : null,
        hints: submission.hints,
      },
    };
  }

  /** `POST /submissions/:sid/retrieve-otk`: a fresh retrieve OTK for the sender. */
  async retrieveOtk(operator: OperatorRow, submissionId: string): Promise<{ otk: string; expiresAt: number; invitation: InvitationRow }> {
    const { submission, invitation } = await this.forSender(operator, submissionId);
    const issued = await this.issueRetrieve(invitation, submission.id);
    return { ...issued, invitation };
  }
}
