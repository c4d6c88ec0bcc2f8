/** Webhooks: the brand's endpoints, and the outbox of deliveries the sender (jobs/webhooks/) claims with a lease. */
import type { Kysely, Selectable } from 'kysely';
import type { WebhookEventType } from '@secure-forms/shared';
import type { Engine } from './engine.js';
import type { DB, WebhookDeliveriesTable, WebhookEndpointsTable } from './schema.js';
import type { WebhookDeliveryRow, WebhookEndpointRow, WebhookQueries } from './webhook-types.js';
import { outboxOf } from './webhook-outbox.js';

const endpointColumns = [
  'id',
  'siteId',
  'url',
  'events',
  'secret',
  'previousSecret',
  'previousExpiresAt',
  'createdBy',
  'createdAt',
  'disabledAt',
] as const;

const deliveryColumns = [
  'id',
  'eventId',
  'endpointId',
  'siteId',
  'eventType',
  'payload',
  'createdAt',
  'nextAttemptAt',
  'attempts',
  'leaseHolder',
  'leaseUntil',
  'deliveredAt',
  'deadAt',
  'lastStatus',
  'lastError',
] as const;

/**
 * The event types are stored as one text, each between commas (`,invitation.sent,invitation.opened,`),
 * so that the outbox's fan-out filters with one LIKE on both engines.
 */
export const eventList = (events: readonly WebhookEventType[]) => `,${events.join(',')},`;

function endpoint(row: Selectable<WebhookEndpointsTable>): WebhookEndpointRow {
  return { ...row, events: row.events.split(',').filter(Boolean) as WebhookEventType[] };
}

function delivery(row: Selectable<WebhookDeliveriesTable>): WebhookDeliveryRow {
  return { ...row, eventType: row.eventType as WebhookEventType, attempts: Number(row.attempts) };
}

export function webhookQueries(engine: Engine): WebhookQueries {
  const { run, tx, dialect } = engine;
  const outbox = outboxOf(engine);
  const findEndpoint = async (d: Kysely<DB>, siteId: string, id: string) => {
    const row = await d
      .selectFrom('webhookEndpoints')
      .select(endpointColumns)
      .where('id', '=', id)
      .where('siteId', '=', siteId)
      .executeTakeFirst();
    return row && endpoint(row);
  };
  return {
    async insertWebhookEndpoint(row) {
      await run((d) =>
        d
          .insertInto('webhookEndpoints')
          .values({ ...row, events: eventList(row.events) })
          .execute(),
      );
      outbox.endpointsChanged();
    },
    async findWebhookEndpoint(id) {
      const row = await run((d) => d.selectFrom('webhookEndpoints').select(endpointColumns).where('id', '=', id).executeTakeFirst());
      return row && endpoint(row);
    },
    async listWebhookEndpoints(siteId) {
      const rows = await run((d) =>
        d.selectFrom('webhookEndpoints').select(endpointColumns).where('siteId', '=', siteId).orderBy('createdAt').orderBy('id').execute(),
      );
      return rows.map(endpoint);
    },
    rotateWebhookSecret(siteId, id, secret, previousExpiresAt) {
      return tx(async (t) => {
        await t
          .updateTable('webhookEndpoints')
          .set((eb) => ({ previousSecret: eb.ref('secret'), previousExpiresAt, secret }))
          .where('id', '=', id)
          .where('siteId', '=', siteId)
          .where('disabledAt', 'is', null)
          .execute();
        return findEndpoint(t, siteId, id);
      });
    },
    retirePreviousWebhookSecret(siteId, id) {
      return tx(async (t) => {
        await t
          .updateTable('webhookEndpoints')
          .set({ previousSecret: null, previousExpiresAt: null })
          .where('id', '=', id)
          .where('siteId', '=', siteId)
          .execute();
        return findEndpoint(t, siteId, id);
      });
    },
    async disableWebhookEndpoint(siteId, id, now) {
      const row = await tx(async (t) => {
        await t
          .updateTable('webhookEndpoints')
          .set({ disabledAt: now })
          .where('id', '=', id)
          .where('siteId', '=', siteId)
          .where('disabledAt', 'is', null)
          .execute();
        return findEndpoint(t, siteId, id);
      });
      outbox.endpointsChanged();
      return row;
    },
    async claimWebhookDeliveries(holder, now, leaseUntil, limit) {
      // One UPDATE … RETURNING decides on both engines. The WHERE is repeated outside the subquery:
      // on PostgreSQL (READ COMMITTED) it is re-checked on the row after a concurrent claim
      // committed, and SKIP LOCKED lets concurrent claimers pass over rows another is taking.
      const rows = await run((d) =>
        d
          .updateTable('webhookDeliveries')
          .set({ leaseHolder: holder, leaseUntil })
          .where('nextAttemptAt', '<=', now)
          .where((eb) => eb.or([eb('leaseUntil', 'is', null), eb('leaseUntil', '<=', now)]))
          .where('id', 'in', (eb) => {
            const due = eb
              .selectFrom('webhookDeliveries')
              .select('id')
              .where('nextAttemptAt', '<=', now)
              .where((w) => w.or([w('leaseUntil', 'is', null), w('leaseUntil', '<=', now)]))
              .orderBy('nextAttemptAt')
              .limit(limit);
            return dialect === 'postgres' ? due.forUpdate().skipLocked() : due;
          })
          .returning(deliveryColumns)
          .execute(),
      );
      return rows.map(delivery);
    },
    async recordWebhookAttempt(id, holder, outcome) {
      const common = { leaseHolder: null, leaseUntil: null, lastStatus: 'status' in outcome ? outcome.status : null };
      const set =
        outcome.kind === 'delivered'
          ? { ...common, deliveredAt: outcome.at, nextAttemptAt: null, lastError: null }
          : outcome.kind === 'dead'
            ? { ...common, deadAt: outcome.at, nextAttemptAt: null, lastError: outcome.error }
            : { ...common, nextAttemptAt: outcome.nextAttemptAt, lastError: outcome.error };
      const result = await run((d) =>
        d
          .updateTable('webhookDeliveries')
          .set((eb) => ({ ...set, attempts: eb('attempts', '+', 1) }))
          .where('id', '=', id)
          .where('leaseHolder', '=', holder)
          .executeTakeFirst(),
      );
      return result.numUpdatedRows === 1n;
    },
    async listWebhookDeliveries(endpointId, limit) {
      const rows = await run((d) =>
        d
          .selectFrom('webhookDeliveries')
          .select(deliveryColumns)
          .where('endpointId', '=', endpointId)
          .orderBy('createdAt', 'desc')
          .orderBy('id', 'desc')
          .limit(limit)
          .execute(),
      );
      return rows.map(delivery);
    },
    async redeliverWebhook(endpointId, id, now) {
      const row = await run((d) =>
        d
          .updateTable('webhookDeliveries')
          .set({ nextAttemptAt: now, attempts: 0, deadAt: null, deliveredAt: null, lastError: null, lastStatus: null })
          .where('id', '=', id)
          .where('endpointId', '=', endpointId)
          .returning(deliveryColumns)
          .executeTakeFirst(),
      );
      return row && delivery(row);
    },
    async purgeWebhookDeliveries(before) {
      const result = await run((d) =>
        d
          .deleteFrom('webhookDeliveries')
          .where((eb) => eb.or([eb('deliveredAt', '<', before), eb('deadAt', '<', before)]))
          .executeTakeFirst(),
      );
      return Number(result.numDeletedRows);
    },
  };
}
