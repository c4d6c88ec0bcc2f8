/**
 * Migration 0004: passkeys (WebAuthn credentials), any number per operator. A credential's id is
 * the authenticator's (base64url, unique across the whole service: the browser names a credential
 * by it alone); `public_key` is the COSE public key (public: nothing here is secret); `counter` is
 * the authenticator's signature counter as last accepted (a cloned authenticator shows a counter
 * that does not increase); `transports` the browser's hints as comma-separated text.
 */
import { sql, type Migration } from 'kysely';
import type { Dialect } from './engine.js';

export function passkeys(dialect: Dialect): Migration {
  const pg = dialect === 'postgres';
  const time = pg ? 'BIGINT' : 'INTEGER';
  return {
    async up(db) {
      for (const statement of [
        `CREATE TABLE passkeys (
          id TEXT PRIMARY KEY,
          operator_id TEXT NOT NULL REFERENCES operators(id),
          site_id TEXT NOT NULL,
          public_key ${pg ? 'BYTEA' : 'BLOB'} NOT NULL,
          counter ${time} NOT NULL DEFAULT 0,
          transports TEXT NOT NULL DEFAULT '',
          name TEXT NOT NULL,
          created_at ${time} NOT NULL,
          last_used_at ${time}
        )`,
        `CREATE INDEX passkeys_operator ON passkeys (operator_id, created_at)`,
      ]) {
        await sql.raw(statement).execute(db);
      }
    },
  };
}
