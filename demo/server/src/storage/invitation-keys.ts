/**
 * The one-time keys that name an invitation (view, submit): a key read with the invitation it
 * names and that invitation's conversation in one statement, since every request that presents
 * such a key checks all three; and the one transaction that trades a submit key for more time.
 */
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import { consumeOtk, insertOtk, keyAliases, keyBeside, type KeyBeside } from './one-time-keys.js';
import { conversationAliases, invitationColumns, withConversation, type StoredWithConversation } from './invitation-rows.js';
import { extendedDeadline } from './invitations.js';
import type { OrNull, Store } from './types.js';

type InvitationKeyQueries = Pick<Store, 'findOtkWithInvitation' | 'extendInvitation'>;

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

// One extension used and the window moved to the new key's deadline: one UPDATE, while any is left
// and nothing was submitted.
const useExtension = prepared<never, { id: string; max: number; now: number; deadline: number }>((d, v) =>
  d
    .updateTable('invitations')
    .set((eb) => ({ extensionsUsed: eb('extensionsUsed', '+', 1), updatedAt: v.now, submitDeadline: extendedDeadline(eb, v.deadline) }))
    .where('id', '=', v.id)
    .where('extensionsUsed', '<', v.max)
    .where('submissionId', 'is', null),
);

export function invitationKeyQueries({ run, tx }: Engine): InvitationKeyQueries {
  return {
    extendInvitation(id, max, now, otk, spend) {
      return tx(async (t) => {
        if (!(await consumeOtk(t, spend.hash, spend.now))) return 'otk-used' as const;
        const used = await useExtension.run(t, { id, max, now, deadline: otk.expiresAt });
        // None left: the spend alone commits (a refused redemption spends its key).
        if (used.numAffectedRows !== 1n) return 'no-extension' as const;
        await insertOtk(t, otk);
        return 'extended' as const;
      });
    },
    async findOtkWithInvitation(hash) {
      const row = await run((d) => findWithInvitation.first(d, { hash }));
      if (!row) return undefined;
      const { key, rest: joined } = keyBeside(row);
      // An invitation matched exactly when its id did (the id is its primary key); its conversation
      // is then there too (a foreign key).
      if (joined.id === null || joined.cId === null) return { key };
      return { key, invitation: withConversation(joined as StoredWithConversation) };
    },
  };
}
