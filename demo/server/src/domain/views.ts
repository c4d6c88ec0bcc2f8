/** Rows to the API's response shapes (packages/shared/src/api.ts). */
import {
  type Conversation,
  type ConversationMessage,
  type FormDefinition,
  formForLocale,
  type InvitationView,
  type LocalizedText,
} from '@secure-forms/shared';
import type { ConversationRow, InvitationRow, MessageRow } from '../storage/types.js';

export const iso = (ms: number) => new Date(ms).toISOString();

/** How many more times the visitor may open the invitation after this open (0: it was the last), as both open routes answer. */
export function opensLeft(invitation: Pick<InvitationRow, 'opens' | 'openLimit'>): number {
  return Math.max(0, invitation.openLimit - invitation.opens);
}

export function conversationView(row: ConversationRow): Conversation {
  return {
    id: row.id,
    siteId: row.siteId,
    state: row.state,
    visitorName: row.visitorName,
    assignedAgentId: row.assignedAgentId,
    createdAt: iso(row.createdAt),
  };
}

export function messageView(row: MessageRow): ConversationMessage {
  switch (row.kind) {
    case 'text':
      return { kind: 'text', id: row.id, at: iso(row.at), from: row.from, authorName: row.authorName, text: row.text };
    case 'invitation':
      return {
        kind: 'invitation',
        id: row.id,
        at: iso(row.at),
        invitationId: row.invitationId,
        formTitle: JSON.parse(row.formTitle) as LocalizedText,
      };
    case 'invitation-status':
      return { kind: 'invitation-status', id: row.id, at: iso(row.at), invitationId: row.invitationId, state: row.state };
  }
}

export function invitationView(row: InvitationRow, formTitle: LocalizedText): InvitationView {
  return {
    id: row.id,
    conversationId: row.conversationId,
    formId: row.formId,
    formVersion: row.formVersion,
    formTitle,
    state: row.state,
    opens: row.opens,
    openLimit: row.openLimit,
    submissionId: row.submissionId,
    sentAt: iso(row.sentAt),
    updatedAt: iso(row.updatedAt),
    stateTimes: {
      sent: iso(row.sentAt),
      ...Object.fromEntries(Object.entries(row.stateTimes).map(([state, at]) => [state, iso(at)])),
    },
  };
}

/** The form's answer, its texts kept to `locale` when the request named one. */
export function formAnswer<T extends { form: FormDefinition }>(answer: T, { locale }: { locale?: string | undefined }): T {
  return locale === undefined ? answer : { ...answer, form: formForLocale(answer.form, locale) };
}
