/**
 * Numbering of the company's records: order numbers (工单号) `<PREFIX>-<YYYYMMDD>-<NNNN>` and outage
 * ids `OUT-<YYYYMMDD>-<NN>`, one counter per prefix and China day in company_sequence.
 */
import type pg from 'pg';

/** The China date (Asia/Shanghai, no daylight saving) of an instant, as YYYY-MM-DD. */
export function chinaDate(at: number): string {
  return new Date(at + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const ORDER_PREFIX = /^[A-Z]{1,8}$/;

/**
 * Takes the next number of `prefix` on `day` in the caller's transaction (the counter row stays
 * locked until it ends, so numbers are handed out without gaps or duplicates).
 */
export async function nextSequence(client: pg.PoolClient, prefix: string, day: string): Promise<number> {
  const { rows } = await client.query<{ last_no: number }>(
    `INSERT INTO company_sequence (prefix, day, last_no) VALUES ($1, $2, 1)
     ON CONFLICT (prefix, day) DO UPDATE SET last_no = company_sequence.last_no + 1 RETURNING last_no`,
    [prefix, day],
  );
  return rows[0]!.last_no;
}

export function formatOrderNumber(prefix: string, day: string, seq: number): string {
  return `${prefix}-${day.replaceAll('-', '')}-${String(seq).padStart(4, '0')}`;
}

