/**
 * The one-time keys that name an invitation (view, submit): a key read with the invitation it
 * names and that invitation's conversation in one statement, since every request that presents
 * such a key checks all three.
 */
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import { conversationAliases, invitationColumns, withConversation, type StoredWithConversation } from './invitations.js';
import type { OtkRow, Store } from './types.js';

type InvitationKeyQueries = Pick<Store, 'findOtkWithInvitation'>;

/** The key's columns beside the invitation's, each under its own name (both tables have `site_id`). */
const keyAliases = [
  'oneTimeKeys.hash as kHash',
  'oneTimeKeys.action as kAction',
  'oneTimeKeys.siteId as kSiteId',
  'oneTimeKeys.resourceId as kResourceId',
  'oneTimeKeys.subject as kSubject',
  'oneTimeKeys.createdAt as kCreatedAt',
  'oneTimeKeys.expiresAt as kExpiresAt',
  'oneTimeKeys.usedAt as kUsedAt',
] as const;

type KeyBeside = {
  kHash: string;
  kAction: OtkRow['action'];
  kSiteId: string;
  kResourceId: string;
  kSubject: string;
  kCreatedAt: number;
  kExpiresAt: number;
  kUsedAt: number | null;
};

/** Every column of a left join's right side is null when nothing matched. */
type OrNull<T> = { [K in keyof T]: T[K] | null };

// Left joins: a key that names no invitation (a retrieve key, whose resource is a submission; an
// invitation since deleted) is still read, so that its refusal says what the key is. Both joins
// are primary-key lookups.
const findWithInvitation = prepared<KeyBeside & OrNull<StoredWithConversation>, { hash: string }>((d, v) =>
  d
    .selectFrom('oneTimeKeys')
    .leftJoin('invitations', 'invitations.id', 'oneTimeKeys.resourceId')
    .leftJoin('conversations', 'conversations.id', 'invitations.conversationId')
    .select(keyAliases)
    .select(invitationColumns.map((column) => `invitations.${column}` as const))
    .select(conversationAliases)
    .where('oneTimeKeys.hash', '=', v.hash),
);

export function invitationKeyQueries({ run }: Engine): InvitationKeyQueries {
  return {
    async findOtkWithInvitation(hash) {
      const row = await run((d) => findWithInvitation.first(d, { hash }));
      if (!row) return undefined;
      const { kHash, kAction, kSiteId, kResourceId, kSubject, kCreatedAt, kExpiresAt, kUsedAt, ...joined } = row;
      const key: OtkRow = {
        hash: kHash,
        action: kAction,
        siteId: kSiteId,
        resourceId: kResourceId,
        subject: kSubject,
        createdAt: kCreatedAt,
        expiresAt: kExpiresAt,
        usedAt: kUsedAt,
      };
      // An invitation matched exactly when its id did (the id is its primary key); its conversation
      // is then there too (a foreign key).
      if (joined.id === null || joined.cId === null) return { key };
      return { key, invitation: withConversation(joined as StoredWithConversation) };
    },
  };
}
