/**
 * Migration 0005: single sign-on identities. An operator provisioned by single sign-on is found
 * again by the provider's issuer and subject (never by a username, so that no identity at the
 * provider can take over a local account); the primary key is what makes two first sign-ins at
 * once end in one operator. `disabled_at` is set when the provider's claims no longer map to a
 * role (deprovisioning) and cleared when they map again.
 */
import { sql, type Migration } from 'kysely';
import type { Dialect } from './engine.js';

export function singleSignOn(dialect: Dialect): Migration {
  const time = dialect === 'postgres' ? 'BIGINT' : 'INTEGER';
  return {
    async up(db) {
      for (const statement of [
        `CREATE TABLE sso_identities (
          site_id TEXT NOT NULL,
          issuer TEXT NOT NULL,
          subject TEXT NOT NULL,
          operator_id TEXT NOT NULL UNIQUE REFERENCES operators(id),
          created_at ${time} NOT NULL,
          disabled_at ${time},
          PRIMARY KEY (site_id, issuer, subject)
        )`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
