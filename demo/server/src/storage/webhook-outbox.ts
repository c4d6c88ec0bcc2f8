/**
 * The webhook outbox's writer: a state change that a webhook reports inserts its deliveries in its
 * own transaction, one per enabled endpoint of the site that takes the event type (one INSERT …
 * SELECT), so that a state change without its webhook, or a webhook without its state change,
 * cannot be stored.
 *
 * A site without endpoints must cost the round trip next to nothing. On SQLite one process owns
 * the database (./open.ts takes its lock), so the store knows every endpoint change: it keeps
 * whether any endpoint is enabled, and with none it writes nothing and runs no statement. On
 * PostgreSQL several instances share the tables and no instance sees another's changes, so the
 * INSERT … SELECT always runs (an index lookup by site that inserts nothing).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { InvitationState, WebhookEvent, WebhookEventType } from '@secure-forms/shared';
import type { Engine } from './engine.js';
import type { DB } from './schema.js';

/** An invitation's move to `state` at `at`, as its webhook reports it. */
export interface InvitationChange {
  invitationId: string;
  conversationId: string;
  state: InvitationState;
  at: number;
}

export interface Outbox {
  /** Queue the change's webhook to every endpoint of the invitation's site that takes it (inside the caller's transaction). */
  invitationChanged(t: Kysely<DB>, change: InvitationChange): Promise<void>;
  /** Whether a state change may have deliveries to queue (false only when none can: SQLite, no enabled endpoint). */
  mayQueue(): boolean;
  /** An endpoint was added or disabled. */
  endpointsChanged(): void;
}

const outboxes = new WeakMap<Kysely<DB>, Outbox>();

/** The outbox of a store's engine (one per database, shared by its table groups). */
export function outboxOf(engine: Engine): Outbox {
  let outbox = outboxes.get(engine.db);
  if (!outbox) {
    outbox = createOutbox(engine);
    outboxes.set(engine.db, outbox);
  }
  return outbox;
}

function createOutbox({ dialect }: Engine): Outbox {
  // SQLite only: whether an enabled endpoint exists (undefined: not known yet, or changed since).
  // Learnt inside a state change's transaction, where no endpoint change can interleave.
  let anyEndpoint: boolean | undefined;
  return {
    mayQueue: () => dialect === 'postgres' || anyEndpoint !== false,
    endpointsChanged() {
      anyEndpoint = undefined;
    },
    async invitationChanged(t, change) {
      if (dialect === 'sqlite' && anyEndpoint === undefined) {
        // Inside the caller's transaction (the one connection): learn through it.
        const row = await t.selectFrom('webhookEndpoints').select('id').where('disabledAt', 'is', null).limit(1).executeTakeFirst();
        anyEndpoint = row !== undefined;
      }
      if (dialect === 'sqlite' && !anyEndpoint) return;
      const type: WebhookEventType = `invitation.${change.state}`;
      const eventId = randomUUID();
      const at = new Date(change.at).toISOString();
      const event: WebhookEvent = {
        id: eventId,
        type,
        createdAt: at,
        data: { invitationId: change.invitationId, conversationId: change.conversationId, state: change.state, at },
      };
      const payload = JSON.stringify(event);
      // Typed casts: PostgreSQL cannot infer a parameter's type in a SELECT list.
      const text = (value: string) => sql<string>`cast(${value} as text)`;
      const time = sql<number>`cast(${change.at} as bigint)`;
      await t
        .insertInto('webhookDeliveries')
        .columns(['id', 'eventId', 'endpointId', 'siteId', 'eventType', 'payload', 'createdAt', 'nextAttemptAt', 'attempts'])
        .expression((eb) =>
          eb
            .selectFrom('webhookEndpoints as e')
            .select([
              sql<string>`${text(eventId)} || '.' || e.id`.as('id'),
              text(eventId).as('eventId'),
              'e.id as endpointId',
              'e.siteId',
              text(type).as('eventType'),
              text(payload).as('payload'),
              time.as('createdAt'),
              time.as('nextAttemptAt'),
              sql<number>`0`.as('attempts'),
            ])
            .where('e.siteId', '=', (s) => s.selectFrom('invitations').select('siteId').where('id', '=', change.invitationId))
            .where('e.disabledAt', 'is', null)
            .where('e.events', 'like', `%,${type},%`),
        )
        .execute();
    },
  };
}
