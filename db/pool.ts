/**
 * The PostgreSQL pool shared by the server and the activities of one process.
 */
import pg from 'pg';

export interface PoolOptions {
  /** Maximum connections of this pool (default 10). */
  max?: number;
  /** Receives errors of idle connections (e.g. the server went away); they must not crash the process. */
  onError?: (err: Error) => void;
}

export function createPool(databaseUrl: string, options: PoolOptions = {}): pg.Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 10,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    application_name: 'gongdian-flow',
  });
  pool.on('error', (err) => options.onError?.(err));
  return pool;
}

/** Waits until PostgreSQL answers `SELECT 1`, retrying for up to `timeoutMs`. */
export async function waitForPostgres(pool: pg.Pool, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await pool.query('SELECT 1');
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
