/**
 * A database of its own on a PostgreSQL server, for one cluster: created empty, dropped at the end,
 * so that clusters and test runs sharing one server never see each other's rows.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface FreshDatabase {
  /** The server's URL with this database's name. */
  url: string;
  drop(): Promise<void>;
}

/** Create an empty database on the server `serverUrl` names (any database of it). */
export async function freshDatabase(serverUrl: string): Promise<FreshDatabase> {
  const name = `secure_forms_cluster_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    // The name is made here of hex digits alone, so quoting it is enough.
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        // FORCE: an instance killed mid-test may have left a connection behind.
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}
