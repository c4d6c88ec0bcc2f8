/**
 * The webhook outbox's writer: a state change that a webhook reports inserts its deliveries in its
 * own transaction, one per enabled endpoint of the site that takes the event type (one INSERT …
 * SELECT), so that a state change without its webhook, or a webhook without its state change,
 * cannot be stored.
 *
 * A site without endpoints must cost the round trip next to nothing. On SQLite one process owns
 * the database (./open.ts takes its lock), so the store sees every endpoint change: it keeps which
 * event types each site's enabled endpoints take, and for a site with none it runs no statement.
 * On PostgreSQL several instances share the tables and none sees another's changes, so the
 * INSERT … SELECT always runs (an index lookup by site that inserts nothing).
 */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely, type Expression } from 'kysely';
import type {
  ConversationWebhookEvent,
  ConversationWebhookEventType,
  InvitationState,
  InvitationWebhookEvent,
  WebhookEventType,
} from '@secure-forms/shared';
import type { Engine } from './engine.js';
import { prepared } from './prepared.js';
import type { DB } from './schema.js';

/** An invitation's move to `state` at `at`, as its webhook reports it. */
export interface InvitationChange {
  invitationId: string;
  conversationId: string;
  /** The invitation's site, when the caller has it (lets SQLite skip a site without endpoints). */
  siteId?: string;
  state: InvitationState;
  at: number;
}

/** A change of who has a conversation, as its webhook reports it (agents by the brand's ids). */
export interface ConversationChange {
  type: ConversationWebhookEventType;
  conversationId: string;
  siteId: string;
  state: 'active' | 'closed';
  agentId: string | null;
  /** `conversation.transferred` only. */
  previousAgentId?: string | null;
  at: number;
}

export interface Outbox {
  /** Queue the change's webhook to every endpoint of the invitation's site that takes it (inside the caller's transaction). */
  invitationChanged(t: Kysely<DB>, change: InvitationChange): Promise<void>;
  /** Queue a conversation change's webhook to every endpoint of its site that takes it (inside the caller's transaction). */
  conversationChanged(t: Kysely<DB>, change: ConversationChange): Promise<void>;
  /** Whether a state change may have deliveries to queue (false only when none can: SQLite, no enabled endpoint). */
  mayQueue(): boolean;
  /** An endpoint was added or disabled. */
  endpointsChanged(): void;
}

interface Queued {
  eventId: string;
  type: string;
  pattern: string;
  payload: string;
  at: number;
}

// Compiled once per engine (prepared.ts). Typed casts: PostgreSQL cannot infer the type of a
// parameter in a SELECT list. The site is the invitation's (`queue`) or given (`queueForSite`).
//
// An invitation's payload ends with its form title, read by the same statement from the
// invitation's line in the transcript (the title as sent, JSON already): the JSON before it is
// `payload`, the `}}` after it is added in SQL. So no state change costs another statement, also
// on PostgreSQL where the INSERT … SELECT runs for sites without endpoints too.
const queue = prepared<never, Queued & { invitationId: string; conversationId: string }>((d, v) =>
  deliveriesOf(
    d,
    v,
    d.selectFrom('invitations').select('siteId').where('id', '=', v.invitationId).$asScalar(),
    sql<string>`cast(${v.payload} as text) || coalesce((${d
      .selectFrom('messages')
      .select('formTitle')
      .where('conversationId', '=', v.conversationId)
      .where('invitationId', '=', v.invitationId)
      .where('kind', '=', 'invitation')
      .limit(1)}), 'null') || '}}'`,
  ),
);
const queueForSite = prepared<never, Queued & { siteId: string }>((d, v) =>
  deliveriesOf(d, v, sql<string>`cast(${v.siteId} as text)`, sql<string>`cast(${v.payload} as text)`),
);

/** INSERT … SELECT of one delivery per enabled endpoint of `site` that takes the type. */
function deliveriesOf(d: Kysely<DB>, v: Queued, site: Expression<string>, payload: Expression<string>) {
  return d
    .insertInto('webhookDeliveries')
    .columns(['id', 'eventId', 'endpointId', 'siteId', 'eventType', 'payload', 'createdAt', 'nextAttemptAt', 'attempts'])
    .expression((eb) =>
      eb
        .selectFrom('webhookEndpoints as e')
        .select([
          sql<string>`cast(${v.eventId} as text) || '.' || e.id`.as('id'),
          sql<string>`cast(${v.eventId} as text)`.as('eventId'),
          'e.id as endpointId',
          'e.siteId',
          sql<string>`cast(${v.type} as text)`.as('eventType'),
          sql<string>`${payload}`.as('payload'),
          sql<number>`cast(${v.at} as bigint)`.as('createdAt'),
          sql<number>`cast(${v.at} as bigint)`.as('nextAttemptAt'),
          sql<number>`0`.as('attempts'),
        ])
        .where('e.siteId', '=', site)
        .where('e.disabledAt', 'is', null)
        .where('e.events', 'like', v.pattern),
    );
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
  // SQLite only: the event types each site's enabled endpoints take (undefined: not known yet, or
  // changed since). Learnt inside a state change's transaction, where no endpoint change interleaves.
  let bySite: Map<string, string> | undefined;
  const sqlite = dialect === 'sqlite';

  async function learn(t: Kysely<DB>): Promise<Map<string, string>> {
    const rows = await t.selectFrom('webhookEndpoints').select(['siteId', 'events']).where('disabledAt', 'is', null).execute();
    const map = new Map<string, string>();
    for (const row of rows) map.set(row.siteId, (map.get(row.siteId) ?? '') + row.events);
    return map;
  }

  /** False when no endpoint can take the event (SQLite only knows; PostgreSQL always runs the INSERT … SELECT). */
  async function mayTake(t: Kysely<DB>, type: WebhookEventType, siteId: string | undefined): Promise<boolean> {
    if (!sqlite) return true;
    bySite ??= await learn(t);
    const site = siteId === undefined ? undefined : bySite.get(siteId);
    return bySite.size > 0 && (siteId === undefined || site?.includes(`,${type},`) === true);
  }

  return {
    mayQueue: () => !sqlite || bySite === undefined || bySite.size > 0,
    endpointsChanged() {
      bySite = undefined;
    },
    async invitationChanged(t, change) {
      const type: WebhookEventType = `invitation.${change.state}`;
      if (!(await mayTake(t, type, change.siteId))) return;
      const eventId = randomUUID();
      const at = new Date(change.at).toISOString();
      const event: Omit<InvitationWebhookEvent, 'data'> & { data: Omit<InvitationWebhookEvent['data'], 'formTitle'> } = {
        id: eventId,
        type,
        createdAt: at,
        data: { invitationId: change.invitationId, conversationId: change.conversationId, state: change.state, at },
      };
      // Everything but the closing `}}`, and `formTitle` last: the statement adds the title (queue).
      const json = JSON.stringify(event);
      await queue.run(t, {
        eventId,
        type,
        pattern: `%,${type},%`,
        payload: `${json.slice(0, -2)},"formTitle":`,
        at: change.at,
        invitationId: change.invitationId,
        conversationId: change.conversationId,
      });
    },
    async conversationChanged(t, change) {
      if (!(await mayTake(t, change.type, change.siteId))) return;
      const eventId = randomUUID();
      const at = new Date(change.at).toISOString();
      const event: ConversationWebhookEvent = {
        id: eventId,
        type: change.type,
        createdAt: at,
        data: {
          conversationId: change.conversationId,
          state: change.state,
          agentId: change.agentId,
          ...(change.type === 'conversation.transferred' ? { previousAgentId: change.previousAgentId ?? null } : {}),
          at,
        },
      };
      await queueForSite.run(t, {
        eventId,
        type: change.type,
        pattern: `%,${change.type},%`,
        payload: JSON.stringify(event),
        at: change.at,
        siteId: change.siteId,
      });
    },
  };
}
