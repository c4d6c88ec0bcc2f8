/**
 * The rows and queries of the brand chat integration: API credentials (stored as a hash of their
 * secret, never the secret) and the brand's conversations (its external id, and the visitor's
 * conversation token sealed by the vault so that a repeated registration can hand the same one
 * back). Part of the one Store (./types.ts).
 */
import type { ConversationRow } from './types.js';

export interface ApiCredentialRow {
  /** 16 base64url characters: the public half of the credential, named in lists and audit lines. */
  id: string;
  siteId: string;
  label: string;
  /** SHA-256 (hex) of the 256-bit secret: the secret itself is shown once and never stored. */
  secretHash: string;
  /** The admin who created it (operator id). */
  createdBy: string;
  createdAt: number;
  revokedAt: number | null;
}

export interface ExternalConversationRow {
  siteId: string;
  /** The brand's own id of the conversation: unique per site. */
  externalId: string;
  conversationId: string;
  /** The visitor's conversation token, sealed by the vault (bound to the conversation id). */
  sealedToken: string;
  createdAt: number;
}

export interface IntegrationQueries {
  insertApiCredential(row: ApiCredentialRow): Promise<void>;
  findApiCredential(id: string): Promise<ApiCredentialRow | undefined>;
  /** The site's credentials, oldest first. */
  listApiCredentials(siteId: string): Promise<ApiCredentialRow[]>;
  /** Revoke a credential of the site (once: a second revocation keeps the first time); the row after. */
  revokeApiCredential(siteId: string, id: string, now: number): Promise<ApiCredentialRow | undefined>;
  /**
   * Register a brand's conversation, atomically: when (siteId, externalId) is new, store
   * `conversation` and its mapping (one transaction) and return them with `created: true`; when it
   * is known (however many register it at once), store nothing and return the existing mapping.
   */
  registerExternalConversation(
    conversation: ConversationRow,
    mapping: ExternalConversationRow,
  ): Promise<{ created: boolean; mapping: ExternalConversationRow }>;
  findExternalConversation(conversationId: string): Promise<ExternalConversationRow | undefined>;
  /** Drop the mappings whose conversation the transcript purge deleted; returns how many. */
  purgeExternalConversations(): Promise<number>;
}
