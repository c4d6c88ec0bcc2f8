/**
 * An invitation's row as the domain sees it: the columns read, the row built from them, and the
 * same with its conversation's row joined beside it (open, view, submit and retrieve read both).
 */
import type { Selectable } from 'kysely';
import { fromJson, type InvitationsTable } from './schema.js';
import type { ConversationRow, InvitationRow } from './types.js';

/** The invitation's columns, read by every statement that reads an invitation. */
export const invitationColumns = [
  'id',
  'siteId',
  'conversationId',
  'agentId',
  'formId',
  'formVersion',
  'publicKey',
  'state',
  'opens',
  'openLimit',
  'extensionsUsed',
  'submissionId',
  'sentAt',
  'updatedAt',
  'submitDeadline',
  'historyKid',
  'stateTimes',
] as const;

/**
 * The row as the domain sees it: its JSON columns parsed. Built field by field from
 * {@link invitationColumns}, never by spreading the row or taking the rest of it apart: a joined
 * row carries other tables' columns, and V8 copies an object's rest (or spread) property by
 * property through its slow path (about 9 µs for a joined row, several per round trip), where a
 * literal of known shape costs a fraction of a µs.
 */
export function invitation(row: Pick<Selectable<InvitationsTable>, (typeof invitationColumns)[number]>): InvitationRow {
  return invitationNamed(row.id, row.siteId, row);
}

/** {@link invitation} with its id and site given apart (a join that reads them under aliases). */
function invitationNamed(id: string, siteId: string, row: Omit<Stored, 'id' | 'siteId'>): InvitationRow {
  return {
    id,
    siteId,
    conversationId: row.conversationId,
    agentId: row.agentId,
    formId: row.formId,
    formVersion: row.formVersion,
    publicKey: fromJson(row.publicKey),
    state: row.state,
    opens: row.opens,
    openLimit: row.openLimit,
    extensionsUsed: row.extensionsUsed,
    submissionId: row.submissionId,
    sentAt: row.sentAt,
    updatedAt: row.updatedAt,
    submitDeadline: row.submitDeadline,
    historyKid: row.historyKid,
    stateTimes: fromJson(row.stateTimes),
  };
}

/** An invitation's row as read ({@link invitationColumns}). */
export type Stored = Pick<Selectable<InvitationsTable>, (typeof invitationColumns)[number]>;
/** An invitation's row joined with its conversation's (the conversation's columns under {@link conversationAliases}). */
export type StoredWithConversation = Stored & ConversationOf;

/** The conversation's columns beside an invitation's, each under its own name (both tables have `id`, `site_id`, `state`). */
export const conversationAliases = [
  'conversations.id as cId',
  'conversations.siteId as cSiteId',
  'conversations.tokenHash as cTokenHash',
  'conversations.state as cState',
  'conversations.visitorName as cVisitorName',
  'conversations.assignedAgentId as cAssignedAgentId',
  'conversations.createdAt as cCreatedAt',
  'conversations.closedAt as cClosedAt',
] as const;

type ConversationOf = {
  cId: string;
  cSiteId: string;
  cTokenHash: string;
  cState: ConversationRow['state'];
  cVisitorName: string;
  cAssignedAgentId: string | null;
  cCreatedAt: number;
  cClosedAt: number | null;
};

/** A row of an invitation joined with its conversation, as the domain sees the two (each built field by field, see {@link invitation}). */
export function withConversation(row: StoredWithConversation): { invitation: InvitationRow; conversation: ConversationRow } {
  return withConversationNamed(row.id, row.siteId, row);
}

/** {@link withConversation} with the invitation's id and site given apart (a join that reads them under aliases). */
export function withConversationNamed(
  id: string,
  siteId: string,
  row: Omit<StoredWithConversation, 'id' | 'siteId'>,
): { invitation: InvitationRow; conversation: ConversationRow } {
  return {
    invitation: invitationNamed(id, siteId, row),
    conversation: {
      id: row.cId,
      siteId: row.cSiteId,
      tokenHash: row.cTokenHash,
      state: row.cState,
      visitorName: row.cVisitorName,
      assignedAgentId: row.cAssignedAgentId,
      createdAt: row.cCreatedAt,
      closedAt: row.cClosedAt,
    },
  };
}
