/**
 * A pooled connection held across a wait (a Temporal call, a sweep). If PostgreSQL goes away while
 * it is held, the connection emits 'error' with no query to reject; without a listener that would
 * end the process. Here the error is kept, the next query on the connection fails as usual, and
 * release() drops the broken connection instead of returning it to the pool.
 */
import type pg from 'pg';

export interface HeldConnection {
  client: pg.PoolClient;
  release(): void;
}

export async function holdConnection(pool: pg.Pool): Promise<HeldConnection> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (err: Error) => (broken = err);
  client.on('error', onError);
  return {
    client,
    release() {
      client.removeListener('error', onError);
      client.release(broken);
    },
  };
}
