/**
 * The tables as Kysely sees them (camelCase: the store runs with Kysely's CamelCasePlugin over the
 * snake_case columns). Times are epoch milliseconds (INTEGER on SQLite, BIGINT on PostgreSQL, read
 * back as numbers on both). JSON columns are TEXT on SQLite and JSONB on PostgreSQL: written as
 * JSON text, read back as text or as the parsed value, which {@link fromJson} makes one.
 */
import type { SsoIdentityRow } from './sso-types.js';
import type { ColumnType, Generated } from 'kysely';
import type { InvitationState, MessageAuthor, Permission, PublicJwk } from '@secure-forms/shared';
import type { ApiCredentialRow, ExternalConversationRow } from './integration-types.js';
import type { PasskeyRow } from './passkey-types.js';
import type { WebhookDeliveryRow, WebhookEndpointRow } from './webhook-types.js';
import type {
  ConversationRow,
  FieldIds,
  InvitationRow,
  MessageRow,
  OperatorRow,
  OtkRow,
  SessionRow,
  SubmissionHints,
  SubmissionRow,
} from './types.js';

/** A JSON column: the value `T` (PostgreSQL) or its JSON text (SQLite) on reading, JSON text on writing. */
export type Json<T> = ColumnType<T | string, string, string>;

/** The value of a JSON column, whichever engine read it. */
export function fromJson<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/** The domain's row, but JSON and defaulted columns, and the sign-in gate's time the domain does not read. */
export type OperatorsTable = Omit<OperatorRow, 'permissions' | 'failedLogins' | 'profile'> & {
  permissions: Json<Permission[]>;
  failedLogins: Generated<number>;
  profile: Generated<string>;
  loginAttemptAt: number | null;
};

export interface PasswordHistoryTable {
  operatorId: string;
  passwordHash: string;
  replacedAt: number;
}

/** Every column as the domain reads it: nothing generated, no JSON. */
export type SessionsTable = SessionRow;

/** Every column as the domain reads it: nothing generated, no JSON. */
export type ConversationsTable = ConversationRow;

export interface ConversationWatchersTable {
  conversationId: string;
  operatorId: string;
  joinedAt: number;
}

export interface MessagesTable {
  seq: Generated<number>;
  id: string;
  conversationId: string;
  at: number;
  kind: MessageRow['kind'];
  fromRole: MessageAuthor | null;
  authorName: string | null;
  text: string | null;
  invitationId: string | null;
  formTitle: string | null;
  state: InvitationState | null;
}

/** The domain's row, but its JSON and defaulted columns. */
export type InvitationsTable = Omit<InvitationRow, 'publicKey' | 'opens' | 'extensionsUsed' | 'stateTimes'> & {
  publicKey: Json<PublicJwk>;
  opens: Generated<number>;
  extensionsUsed: Generated<number>;
  stateTimes: Json<InvitationRow['stateTimes']>;
};

/** Every column as the domain reads it: nothing generated, no JSON. */
export type OneTimeKeysTable = OtkRow;

/** The domain's row, but its JSON columns and a flag stored as a number. */
export type SubmissionsTable = Omit<SubmissionRow, 'fieldIds' | 'hints' | 'offTheRecordPresent'> & {
  fieldIds: Json<FieldIds>;
  hints: Json<SubmissionHints>;
  /** 0 or 1 on both engines (SQLite has no boolean). */
  offTheRecordPresent: number;
};

export interface MetaTable {
  key: string;
  value: string;
}

export interface DataKeysTable {
  keyId: string;
  custody: string;
  wrapped: Buffer;
  createdAt: number;
}

export interface DB {
  operators: OperatorsTable;
  passwordHistory: PasswordHistoryTable;
  sessions: SessionsTable;
  conversations: ConversationsTable;
  conversationWatchers: ConversationWatchersTable;
  messages: MessagesTable;
  invitations: InvitationsTable;
  oneTimeKeys: OneTimeKeysTable;
  submissions: SubmissionsTable;
  meta: MetaTable;
  dataKeys: DataKeysTable;
  apiCredentials: ApiCredentialRow;
  externalConversations: ExternalConversationRow;
  webhookEndpoints: WebhookEndpointsTable;
  webhookDeliveries: WebhookDeliveriesTable;
  passkeys: PasskeyRow;
  ssoIdentities: SsoIdentityRow;
}

/** Event types stored as one text, each between commas (storage/webhooks.ts). */
export type WebhookEndpointsTable = Omit<WebhookEndpointRow, 'events'> & { events: string };
export type WebhookDeliveriesTable = Omit<WebhookDeliveryRow, 'eventType'> & { eventType: string };
