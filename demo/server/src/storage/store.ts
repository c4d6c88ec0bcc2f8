/** The one Store: every table group's queries over one engine (SQLite or PostgreSQL). */
import { sql } from 'kysely';
import { conversationQueries } from './conversations.js';
import type { Engine } from './engine.js';
import { integrationQueries } from './integration.js';
import { invitationQueries } from './invitations.js';
import { invitationKeyQueries } from './invitation-keys.js';
import { metaQueries } from './meta.js';
import { otkQueries } from './one-time-keys.js';
import { operatorQueries } from './operators.js';
import { passkeyQueries } from './passkeys.js';
import { sessionQueries } from './sessions.js';
import { submissionQueries } from './submissions.js';
import type { Store } from './types.js';
import { webhookQueries } from './webhooks.js';
import { ssoQueries } from './sso.js';

/** Spent and expired keys are kept a day after expiry, so that a replay is told OTK_USED, not OTK_INVALID. */
const SPENT_KEY_GRACE_MS = 24 * 3600_000;

export function createStore(engine: Engine): Store {
  const { run, db } = engine;
  return {
    ...operatorQueries(engine),
    ...sessionQueries(engine),
    ...conversationQueries(engine),
    ...invitationQueries(engine),
    ...otkQueries(engine),
    ...invitationKeyQueries(engine),
    ...submissionQueries(engine),
    ...metaQueries(engine),
    ...integrationQueries(engine),
    ...webhookQueries(engine),
    ...passkeyQueries(engine),
    ...ssoQueries(engine),
    async purge(now) {
      const submissions = await run((d) => d.deleteFrom('submissions').where('purgeAfter', '<=', now).executeTakeFirst());
      const otks = await run((d) =>
        d
          .deleteFrom('oneTimeKeys')
          .where('expiresAt', '<=', now - SPENT_KEY_GRACE_MS)
          .executeTakeFirst(),
      );
      const sessions = await run((d) =>
        d
          .deleteFrom('sessions')
          .where((eb) => eb.or([eb('expiresAt', '<=', now), eb('revokedAt', 'is not', null)]))
          .executeTakeFirst(),
      );
      return {
        submissions: Number(submissions.numDeletedRows),
        otks: Number(otks.numDeletedRows),
        sessions: Number(sessions.numDeletedRows),
      };
    },
    async ping() {
      await sql`SELECT 1`.execute(db);
    },
    // A commit is durable once made here (PostgreSQL, an in-memory database); on SQLite a unit of
    // work commits with its batch (commit-batches.ts). durable-commits.ts adds the sync of the log
    // on a SQLite file.
    durable: engine.committed,
    isDurable: engine.isCommitted,
    async close() {
      // The open batch commits first: closing the connection would take it back.
      await engine.committed().catch(() => undefined);
      await db.destroy();
    },
  };
}
