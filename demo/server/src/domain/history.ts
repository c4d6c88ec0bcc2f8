/**
 * The manager's view of responses in conversation history (permission view-responses-in-history):
 * on-the-record answers only, and only where the site had history viewing on when the frame
 * sealed them (the site's history key was a recipient). The backend opens its copy with the
 * history private key and seals the answers again to the manager panel's one-view key, with the
 * original binding. Off-the-record answers were never sealed to the history key.
 */
import {
  EnvelopeError,
  sealAnswers,
  sealedEnvelopeSchema,
  type EnvelopeBinding,
  type HistoryEntry,
  type PublicJwk,
  type SealedEnvelope,
} from '@secure-forms/shared';
import type { Conversations } from './conversations.js';
import { Refusal } from './refusal.js';
import type { Invitations } from './invitations.js';
import { onTheRecordOnly } from './on-the-record.js';
import type { Runtime } from './runtime.js';
import type { InvitationRow, OperatorRow, SubmissionRow } from '../storage/types.js';
import { iso } from './views.js';

export class History {
  constructor(
    private readonly rt: Runtime,
    private readonly conversations: Conversations,
    private readonly invitations: Invitations,
  ) {}

  private requirePermission(operator: OperatorRow): void {
    if (!operator.permissions.includes('view-responses-in-history')) {
      throw new Refusal('FORBIDDEN', 'You do not have the permission to view secure form responses in conversation history.');
    }
  }

  private viewable(invitation: InvitationRow, submission: SubmissionRow): boolean {
    const site = this.rt.sites.get(invitation.siteId);
    return Boolean(site?.historyViewing && invitation.historyKid && submission.ciphertext);
  }

  async list(operator: OperatorRow, conversationId: string): Promise<HistoryEntry[]> {
    this.requirePermission(operator);
    const conversation = await this.conversations.get(conversationId);
    if (conversation.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such conversation.');
    const entries: HistoryEntry[] = [];
    for (const invitation of await this.rt.store.listInvitationsByConversation(conversationId)) {
      if (!invitation.submissionId) continue;
      const submission = await this.rt.store.findSubmission(invitation.submissionId);
      if (!submission) continue;
      const form = this.invitations.formOf(invitation);
      entries.push({
        submissionId: submission.id,
        invitationId: invitation.id,
        formId: invitation.formId,
        formRef: submission.formRef,
        formTitle: form.title,
        agentId: invitation.agentId,
        submittedAt: iso(submission.submittedAt),
        viewable: this.viewable(invitation, submission),
      });
    }
    return entries;
  }

  async view(operator: OperatorRow, submissionId: string, publicKey: PublicJwk) {
    this.requirePermission(operator);
    const submission = await this.rt.store.findSubmission(submissionId);
    if (!submission || submission.siteId !== operator.siteId) throw new Refusal('NOT_FOUND', 'There is no such submission.');
    const invitation = await this.invitations.get(submission.invitationId);
    if (!this.viewable(invitation, submission) || !submission.keyId || !submission.iv || !submission.tag || !submission.ciphertext) {
      throw new Refusal('FORBIDDEN', 'This response was not kept for history viewing.');
    }
    const envelope: SealedEnvelope = sealedEnvelopeSchema.parse(
      JSON.parse(
        await this.rt.vault.open(
          { keyId: submission.keyId, iv: submission.iv, ciphertext: submission.ciphertext, tag: submission.tag },
          submission.id,
          submission.siteId,
        ),
      ),
    );
    const binding: EnvelopeBinding = {
      invitationId: invitation.id,
      siteId: submission.siteId,
      formRef: submission.formRef,
      part: 'on-the-record',
    };
    let answers;
    try {
      answers = await this.rt.historyKeys.open(envelope, binding);
    } catch (error) {
      // A custody failure (the HSM unreachable) is not the response's fault: let it surface as one.
      if (!(error instanceof EnvelopeError)) throw error;
      throw new Refusal('FORBIDDEN', 'This response was not sealed for history viewing.');
    }
    // Only the form version's on-the-record fields are re-sealed; anything else is dropped and audited.
    const { kept, dropped } = onTheRecordOnly(this.invitations.formOf(invitation), answers);
    const onTheRecord = await sealAnswers(kept, [publicKey], binding);
    return {
      invitation,
      droppedFields: dropped,
      response: {
        submissionId: submission.id,
        invitationId: invitation.id,
        siteId: submission.siteId,
        formRef: submission.formRef,
        submittedAt: iso(submission.submittedAt),
        onTheRecord,
        hints: submission.hints,
      },
    };
  }
}
