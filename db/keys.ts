/**
 * Keys in Camunda 8's form: numeric strings. Each allocation is 2^51 + n * 2^20, so the 2^20 keys
 * above a process instance key are free for that instance's elements, incidents and tasks (the
 * interpreter counts up from its instance key without asking the database).
 */
import type pg from 'pg';

const BASE = 2n ** 51n;
const STRIDE = 2n ** 20n;

export type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

export async function allocateKey(db: Queryable): Promise<string> {
  const { rows } = await db.query<{ n: string }>("SELECT nextval('engine_key_seq')::text AS n");
  return (BASE + BigInt(rows[0]!.n) * STRIDE).toString();
}

/** True when `value` is a key as this engine writes them (a positive integer in a string). */
export function isKey(value: string): boolean {
  return /^[1-9][0-9]{0,18}$/.test(value) && BigInt(value) < 2n ** 63n;
}
