/**
 * Creating and dropping whole databases on a PostgreSQL server (test runs, benchmarks, history
 * export): each works in a database of its own on a shared server.
 */
import pg from 'pg';

async function onServer(serverUrl: string, sql: (c: pg.Client) => string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql(client));
  } finally {
    await client.end();
  }
}

/** Creates database `name` on the server of `serverUrl` and returns the URL of the new database. */
export async function createDatabase(serverUrl: string, name: string): Promise<string> {
  await onServer(serverUrl, (c) => `CREATE DATABASE ${c.escapeIdentifier(name)}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** Drops database `name`, ending its connections. */
export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await onServer(serverUrl, (c) => `DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)} WITH (FORCE)`);
}
