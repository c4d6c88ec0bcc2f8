/**
 * The storage interface: one implementation on Kysely (./store.ts) over SQLite (the embedded
 * default) or PostgreSQL (several instances), chosen by configuration (./open.ts).
 *
 * Secrets are never stored: sessions, conversation tokens and one-time keys only as SHA-256 hashes.
 * Times are epoch milliseconds.
 */
import type { InvitationState, MessageAuthor, OtkAction, Permission, PublicJwk, Role, SubmitRequest } from '@secure-forms/shared';
import type { IntegrationQueries } from './integration-types.js';
import type { ConversationChange } from './webhook-outbox.js';
import type { WebhookQueries } from './webhook-types.js';
import type { PasskeyQueries } from './passkey-types.js';
import type { SsoQueries } from './sso-types.js';

export type { Permission, Role };

/** Which fields of a submission went on and off the record. */
export interface FieldIds {
  onTheRecord: string[];
  offTheRecord: string[];
}

/** The display hints PCI DSS allows in clear (a card's brand and last four, …). */
export type SubmissionHints = SubmitRequest['hints'];

export interface OperatorRow {
  id: string;
  siteId: string;
  username: string;
  displayName: string;
  role: Role;
  permissions: Permission[];
  passwordHash: string;
  /** Sign-in attempts counted in this lock cycle: failed ones and ones still being checked. */
  failedLogins: number;
  /** When the lock landed; it runs out after the site's `lockoutMinutes`. */
  lockedAt: number | null;
  createdAt: number;
  /** The site profile the permissions come from. */
  profile: string;
  /** The TOTP secret wrapped by the vault (JSON), or null when the operator has no second factor. */
  totpSecret: string | null;
  /** The last accepted TOTP time step: a code is never accepted twice. */
  totpLastStep: number | null;
}

export interface SessionRow {
  tokenHash: string;
  operatorId: string;
  siteId: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  revokedAt: number | null;
}

export type ConversationState = 'waiting' | 'active' | 'closed';

export interface ConversationRow {
  id: string;
  siteId: string;
  tokenHash: string;
  state: ConversationState;
  visitorName: string;
  assignedAgentId: string | null;
  createdAt: number;
  closedAt: number | null;
}

/** Who has a conversation: what {@link Store.changeConversation} compares and sets. */
export type ConversationMove = Pick<ConversationRow, 'state' | 'assignedAgentId'> & { closedAt?: number };

/** A conversation change's webhook, as the domain describes it (agents by the brand's ids); its id and state are the move's. */
export type ConversationChangeEvent = Omit<ConversationChange, 'conversationId' | 'state'>;

/** A place in the queue: the last conversation of a page. */
export interface QueuePosition {
  state: ConversationState;
  createdAt: number;
  id: string;
}

export type MessageRow =
  | { id: string; conversationId: string; at: number; kind: 'text'; from: MessageAuthor; authorName: string; text: string }
  | { id: string; conversationId: string; at: number; kind: 'invitation'; invitationId: string; formTitle: string }
  | { id: string; conversationId: string; at: number; kind: 'invitation-status'; invitationId: string; state: InvitationState };

export interface InvitationRow {
  id: string;
  siteId: string;
  conversationId: string;
  agentId: string;
  formId: string;
  formVersion: number;
  /** The agent's public JWK. */
  publicKey: PublicJwk;
  state: InvitationState;
  opens: number;
  openLimit: number;
  extensionsUsed: number;
  submissionId: string | null;
  sentAt: number;
  updatedAt: number;
  /** The deadline of the latest submit OTK, once the form was viewed. */
  submitDeadline: number | null;
  /** The kid of the site history key the answers were sealed to (set when the frame got it). */
  historyKid: string | null;
  /** When it entered each state after `sent` (epoch ms). */
  stateTimes: Partial<Record<InvitationState, number>>;
}

/** Every column of a left join's right side is null when nothing matched. */
export type OrNull<T> = { [K in keyof T]: T[K] | null };

/** A one-time key to spend in the transaction of a request's change: its hash, and the time of the spend. */
export interface OtkSpend {
  hash: string;
  now: number;
}

export interface OtkRow {
  hash: string;
  action: OtkAction;
  siteId: string;
  resourceId: string;
  subject: string;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
}

export interface SubmissionRow {
  id: string;
  siteId: string;
  invitationId: string;
  formRef: string;
  /** The on-the-record envelope wrapped by the vault; null when the form had no such fields. */
  keyId: string | null;
  iv: Buffer | null;
  ciphertext: Buffer | null;
  tag: Buffer | null;
  fieldIds: FieldIds;
  hints: SubmissionHints;
  offTheRecordPresent: boolean;
  offTheRecordExpiresAt: number | null;
  submittedAt: number;
  purgeAfter: number;
}

/** One stored data key: never the key itself, only its wrapped form. */
export interface DataKeyRow {
  keyId: string;
  custody: string;
  wrapped: Buffer;
  createdAt: number;
}

/** The whole store; the brand chat integration's queries are in ./integration-types.ts, the webhooks' in ./webhook-types.ts. */
export interface Store extends IntegrationQueries, WebhookQueries, PasskeyQueries, SsoQueries {
  // operators
  insertOperator(row: OperatorRow): Promise<void>;
  findOperatorByUsername(siteId: string, username: string): Promise<OperatorRow | undefined>;
  findOperator(id: string): Promise<OperatorRow | undefined>;
  setPasswordHash(id: string, hash: string): Promise<void>;
  /**
   * Count one sign-in attempt before its password or code is checked, atomically (one UPDATE …
   * RETURNING): the row after, or undefined when the operator is locked or `threshold` attempts of
   * this lock cycle are already counted (in flight or failed). A lock older than `lockMs` (or a
   * full count whose last attempt is that old) has run out: the count starts again at 1.
   */
  countSignInAttempt(id: string, threshold: number, lockMs: number, now: number): Promise<OperatorRow | undefined>;
  /** The attempt was wrong: lock when the count has reached `threshold`, revoking every session (one transaction). True when this call locked. */
  lockAfterFailure(id: string, threshold: number, now: number): Promise<boolean>;
  /** The attempt neither failed nor succeeded (a replayed code, a second step still to come): take it off the count. */
  uncountSignInAttempt(id: string): Promise<void>;
  /** Insert the session and clear the count only if the operator is not locked (one transaction); false when locked. */
  insertSessionUnlessLocked(row: SessionRow): Promise<boolean>;
  /** The operator's earlier password hashes, newest first, at most `limit`. */
  listPasswordHistory(id: string, limit: number): Promise<string[]>;
  /**
   * One transaction: replace the password hash `oldHash` with `newHash` and clear the sign-in
   * count, only if `oldHash` is still the current one and the operator is not locked; add
   * `oldHash` to the history and keep its newest `keep`; revoke every other session of the operator
   * (all but `keptTokenHash`). False (nothing written) when the hash changed or a lock landed.
   */
  changePassword(change: {
    operatorId: string;
    oldHash: string;
    newHash: string;
    keep: number;
    keptTokenHash: string;
    now: number;
  }): Promise<boolean>;
  /** Re-enable a locked operator (admin); returns the row after. */
  enableOperator(id: string): Promise<OperatorRow | undefined>;
  setOperatorProfile(id: string, role: Role, profile: string, permissions: Permission[], displayName: string): Promise<void>;
  setTotpSecret(id: string, wrapped: string | null): Promise<void>;
  /** Accept a TOTP step only if later than the last accepted one (atomic); false on replay. */
  acceptTotpStep(id: string, step: number): Promise<boolean>;
  listOperators(siteId: string): Promise<OperatorRow[]>;
  /** Key rotation: replace every wrapped TOTP secret `rewrap` returns a new value for (one transaction). */
  rewrapTotpSecrets(rewrap: (row: OperatorRow) => string | null): Promise<number>;
  // sessions
  insertSession(row: SessionRow): Promise<void>;
  findSession(tokenHash: string): Promise<SessionRow | undefined>;
  touchSession(tokenHash: string, now: number): Promise<void>;
  revokeSession(tokenHash: string, now: number): Promise<void>;
  // conversations and messages
  insertConversation(row: ConversationRow): Promise<void>;
  findConversation(id: string): Promise<ConversationRow | undefined>;
  listConversations(siteId: string): Promise<ConversationRow[]>;
  /** One page of the queue (waiting, active, closed; newest first in each), after `after`. */
  listConversationPage(siteId: string, limit: number, after?: QueuePosition): Promise<ConversationRow[]>;
  /**
   * Delete up to `batch` conversations of the site closed at or before `closedBefore` (and with no
   * form response still kept), with their messages, watchers and invitations, in one transaction.
   * Returns how many; the caller repeats while it gets a full batch.
   */
  purgeTranscripts(siteId: string, closedBefore: number, batch: number): Promise<number>;
  /**
   * Compare and set: move the conversation from `from` (its state and agent as the caller read
   * them) to `to`, and queue `change`'s webhooks in the same transaction (./webhook-outbox.ts).
   * False, with nothing written, when it is no longer `from` (another request changed it first):
   * of any number of identical changes at once, one is made and sends its webhook.
   */
  changeConversation(id: string, from: ConversationMove, to: ConversationMove, change?: ConversationChangeEvent): Promise<boolean>;
  addWatcher(conversationId: string, operatorId: string, now: number): Promise<void>;
  listWatchers(conversationId: string): Promise<string[]>;
  insertMessage(row: MessageRow): Promise<void>;
  listMessages(conversationId: string): Promise<MessageRow[]>;
  // invitations
  /** Store a new invitation, and with it (same transaction) its line in the transcript and its webhooks (./webhook-outbox.ts). */
  insertInvitation(row: InvitationRow, message?: MessageRow): Promise<void>;
  findInvitation(id: string): Promise<InvitationRow | undefined>;
  /** The invitation and its conversation, read by one statement. */
  findInvitationWithConversation(id: string): Promise<{ invitation: InvitationRow; conversation: ConversationRow } | undefined>;
  /** Count an open if below the limit and not yet submitted; returns the row after the attempt and whether it counted. */
  countOpen(id: string, now: number): Promise<{ row: InvitationRow; counted: boolean } | undefined>;
  /** Record when the invitation entered `state` (first time only). */
  stampInvitationState(id: string, state: InvitationState, at: number): Promise<void>;
  /**
   * One transaction: set the invitation's state (when `setState`), stamp when it entered it (first
   * time only), and add its status line to the transcript (and, when `setState`, queue its webhooks).
   * With `spend`, first spend that key (as {@link insertInvitationOtk}); false, with nothing
   * written, when it was already spent. `'already'` when `setState` found the invitation in
   * `state` already (a concurrent request moved it): the key is spent, and neither the status line
   * nor a webhook is written; `'recorded'` otherwise.
   */
  recordInvitationState(
    id: string,
    state: InvitationState,
    at: number,
    setState: boolean,
    message: MessageRow,
    spend?: OtkSpend,
  ): Promise<false | 'recorded' | 'already'>;
  /**
   * One transaction: count an open (as {@link countOpen}); when it counts, store the key `otk` it
   * hands out (a view key; the frame's one-request open, a submit key), extend the invitation's
   * window to the key's deadline, record `historyKid` (the site history key the answers will be
   * sealed to) when given, stamp when it was first opened, and add `message` (its status line) to
   * the transcript; the first open queues its webhooks. Nothing is written when it does not count.
   */
  openInvitation(
    id: string,
    now: number,
    otk: OtkRow,
    message?: MessageRow,
    historyKid?: string,
  ): Promise<{ row: InvitationRow; counted: boolean } | undefined>;
  /**
   * One transaction: store `otk` (a key for the invitation), extend the invitation's window to the
   * key's deadline, and record `historyKid` (the site history key it was sealed to) when given.
   * With `spend`, first spend that key (the one the request came with, as {@link consumeOtk}); false,
   * with nothing written, when it was already spent.
   */
  insertInvitationOtk(otk: OtkRow, invitationId: string, historyKid?: string, spend?: OtkSpend): Promise<boolean>;
  /**
   * One transaction that trades a submit key for more time: spend `spend` (the key the request
   * came with; 'otk-used', with nothing written, when it was already spent), use one of the
   * invitation's `max` extensions ('no-extension', with only the key spent, when none is left or
   * it was submitted), store the new submit key `otk` and extend the window to its deadline.
   */
  extendInvitation(id: string, max: number, now: number, otk: OtkRow, spend: OtkSpend): Promise<'otk-used' | 'no-extension' | 'extended'>;
  /** Move an invitation to a final state (cancelled, expired) only if it is still sent or opened; its webhooks in the same transaction. */
  finishInvitation(id: string, state: 'cancelled' | 'expired', now: number): Promise<InvitationRow | undefined>;
  /** Invitations still sent or opened (candidates for expiry). */
  listOpenInvitations(): Promise<InvitationRow[]>;
  listInvitationsByConversation(conversationId: string): Promise<InvitationRow[]>;
  // one-time keys
  insertOtk(row: OtkRow): Promise<void>;
  /** Atomically mark a key used; exactly one of many concurrent callers gets the row. */
  consumeOtk(hash: string, now: number): Promise<OtkRow | undefined>;
  findOtk(hash: string): Promise<OtkRow | undefined>;
  /**
   * A key and, when it names one (a view or submit key), the invitation and that invitation's
   * conversation: one statement. `invitation` is absent for a key that names no invitation.
   */
  findOtkWithInvitation(
    hash: string,
  ): Promise<{ key: OtkRow; invitation?: { invitation: InvitationRow; conversation: ConversationRow } } | undefined>;
  // submissions
  /**
   * In one transaction: spend the submit key `otkHash` (unless already spent: 'otk-used'; past its
   * deadline: spent, 'otk-expired'), mark the invitation submitted (it already had a submission:
   * key spent, 'already-submitted') and insert the row ('stored'). With `then`, in the same
   * transaction: stamp when it was submitted, add its status line to the transcript, store the
   * retrieve key (so a stored submission always has both) and queue its webhooks.
   */
  insertSubmission(
    row: SubmissionRow,
    now: number,
    otkHash: string,
    then?: { message: MessageRow; otk: OtkRow },
  ): Promise<'stored' | 'otk-used' | 'otk-expired' | 'already-submitted'>;
  findSubmission(id: string): Promise<SubmissionRow | undefined>;
  /** A submission, its invitation and that invitation's conversation: one statement. */
  findSubmissionWithInvitation(
    id: string,
  ): Promise<{ submission: SubmissionRow; invitation: { invitation: InvitationRow; conversation: ConversationRow } } | undefined>;
  /**
   * As {@link findSubmissionWithInvitation}, with the key of hash `otkHash` in the same statement
   * (`key` absent when no key has that hash): what a retrieve checks.
   */
  findSubmissionWithInvitationAndKey(
    id: string,
    otkHash: string,
  ): Promise<
    { submission: SubmissionRow; invitation: { invitation: InvitationRow; conversation: ConversationRow }; key?: OtkRow } | undefined
  >;
  /** Submissions with a vault layer, by key id (rotation reports). */
  listSubmissionIdsByKey(): Promise<{ id: string; keyId: string | null }[]>;
  /**
   * Key rotation: replace the vault layer of every record `rewrap` returns a new one for, and set
   * meta `key` to `value`, all in one transaction (everything or nothing). Returns the count.
   */
  rewrapAll(
    rewrap: (row: SubmissionRow) => { keyId: string; iv: Buffer; ciphertext: Buffer; tag: Buffer } | null,
    meta: { key: string; value: string },
  ): Promise<number>;
  getMeta(key: string): Promise<string | undefined>;
  setMeta(key: string, value: string): Promise<void>;
  // data keys (the vault's, stored only wrapped)
  /** Every stored data key (a handful: one per rotation). */
  listDataKeys(): Promise<DataKeyRow[]>;
  /** Store a new wrapped data key; false when `keyId` already has one. */
  insertDataKey(row: DataKeyRow): Promise<boolean>;
  /** Whether any submission or TOTP seed is wrapped under `keyId` (a key id from before stored data keys). */
  hasRecordsUnder(keyId: string): Promise<boolean>;
  // housekeeping
  purge(now: number): Promise<{ submissions: number; otks: number; sessions: number }>;
  /** Resolves when the database answers a trivial query (readiness); rejects otherwise. */
  ping(): Promise<void>;
  /**
   * Resolves once every write made so far is committed and durable; rejects for good when that can
   * no longer be known (a failed sync of SQLite's log, a batch that failed to commit). Store calls
   * do not wait for it themselves: whatever leaves the process does, first
   * (storage/durable-commits.ts lists the ways out). On SQLite a unit of work commits with its
   * turn's batch (storage/commit-batches.ts); where every commit is durable when it is made
   * (PostgreSQL, an in-memory database), nothing more is waited for.
   */
  durable(): Promise<void>;
  /** Whether every commit made so far is durable already, so that nothing need wait for {@link durable}. */
  isDurable(): boolean;
  close(): Promise<void>;
}
