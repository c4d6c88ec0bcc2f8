/**
 * Migration 0003: webhooks to the brand's chat server. `webhook_endpoints` holds where a site's
 * events go and the signing secrets, each wrapped by the vault (never in clear); during a rotation
 * the previous secret stays valid until `previous_expires_at`. `webhook_deliveries` is the outbox:
 * one row per event and endpoint, inserted in the transaction of the state change it reports, and
 * claimed by the sender with a lease (`lease_holder`, `lease_until`).
 */
import { sql, type Migration } from 'kysely';
import type { Dialect } from './engine.js';

export function webhooks(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  return {
    async up(db) {
      for (const statement of [
        `CREATE TABLE webhook_endpoints (
          id TEXT PRIMARY KEY,
          site_id TEXT NOT NULL,
          url TEXT NOT NULL,
          events TEXT NOT NULL,
          secret TEXT NOT NULL,
          previous_secret TEXT,
          previous_expires_at ${time},
          created_by TEXT NOT NULL,
          created_at ${time} NOT NULL,
          disabled_at ${time}
        )`,
        // The outbox's fan-out looks endpoints up by site in every state change's transaction.
        `CREATE INDEX webhook_endpoints_site ON webhook_endpoints (site_id)`,
        `CREATE TABLE webhook_deliveries (
          id TEXT PRIMARY KEY,
          event_id TEXT NOT NULL,
          endpoint_id TEXT NOT NULL,
          site_id TEXT NOT NULL,
          event_type TEXT NOT NULL,
          payload TEXT NOT NULL,
          created_at ${time} NOT NULL,
          next_attempt_at ${time},
          attempts INTEGER NOT NULL DEFAULT 0,
          lease_holder TEXT,
          lease_until ${time},
          delivered_at ${time},
          dead_at ${time},
          last_status INTEGER,
          last_error TEXT
        )`,
        // The sender's claim: due rows only (delivered and dead-lettered ones have no next attempt).
        `CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE next_attempt_at IS NOT NULL`,
        `CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at)`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
