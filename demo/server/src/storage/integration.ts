/** The brand chat integration's tables: API credentials and the brand's conversations. */
import { sql } from 'kysely';
import type { Engine } from './engine.js';
import type { IntegrationQueries } from './integration-types.js';

const credentialColumns = ['id', 'siteId', 'label', 'secretHash', 'createdBy', 'createdAt', 'revokedAt'] as const;
const mappingColumns = ['siteId', 'externalId', 'conversationId', 'sealedToken', 'createdAt'] as const;

export function integrationQueries({ run, tx }: Engine): IntegrationQueries {
  return {
    async insertApiCredential(row) {
      await run((d) => d.insertInto('apiCredentials').values(row).execute());
    },
    findApiCredential(id) {
      return run((d) => d.selectFrom('apiCredentials').select(credentialColumns).where('id', '=', id).executeTakeFirst());
    },
    listApiCredentials(siteId) {
      return run((d) =>
        d.selectFrom('apiCredentials').select(credentialColumns).where('siteId', '=', siteId).orderBy('createdAt').orderBy('id').execute(),
      );
    },
    revokeApiCredential(siteId, id, now) {
      return tx(async (t) => {
        await t
          .updateTable('apiCredentials')
          .set({ revokedAt: now })
          .where('id', '=', id)
          .where('siteId', '=', siteId)
          .where('revokedAt', 'is', null)
          .execute();
        return t
          .selectFrom('apiCredentials')
          .select(credentialColumns)
          .where('id', '=', id)
          .where('siteId', '=', siteId)
          .executeTakeFirst();
      });
    },
    registerExternalConversation(conversation, mapping) {
      return tx(async (t) => {
        // One statement decides, on both engines: PostgreSQL's ON CONFLICT waits for a concurrent
        // insert of the same key and then does nothing; SQLite's IMMEDIATE transaction runs alone.
        const inserted = await t
          .insertInto('externalConversations')
          .values(mapping)
          .onConflict((oc) => oc.columns(['siteId', 'externalId']).doNothing())
          .returning('conversationId')
          .executeTakeFirst();
        if (inserted) {
          await t.insertInto('conversations').values(conversation).execute();
          return { created: true, mapping };
        }
        const existing = await t
          .selectFrom('externalConversations')
          .select(mappingColumns)
          .where('siteId', '=', mapping.siteId)
          .where('externalId', '=', mapping.externalId)
          .executeTakeFirstOrThrow();
        return { created: false, mapping: existing };
      });
    },
    findExternalConversation(conversationId) {
      return run((d) =>
        d.selectFrom('externalConversations').select(mappingColumns).where('conversationId', '=', conversationId).executeTakeFirst(),
      );
    },
    async purgeExternalConversations() {
      // The transcript purge deleted the conversation: its external id may be registered afresh.
      const result = await run((d) =>
        d
          .deleteFrom('externalConversations')
          .where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('conversations')
                  .select(sql.lit(1).as('one'))
                  .whereRef('conversations.id', '=', 'externalConversations.conversationId'),
              ),
            ),
          )
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },
  };
}
