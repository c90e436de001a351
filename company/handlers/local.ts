/**
 * The local PostgreSQL implementations of the company's adapters (company/handlers/contracts.ts),
 * on the tables of company/migrations/0016_company.sql. Used by default (server/worker.ts →
 * productJobHandlers) and by the tests.
 */
import type pg from 'pg';
import { inTransaction } from '../../db/transaction.js';
import { bufferRestoredMessage } from '../outages.js';
import { chinaDate, formatOrderNumber, nextSequence, ORDER_PREFIX } from '../sequence.js';
import type { Archive, ArrearsService, CompanyAdapters, CustomerNotifier, JobRef, OrderNumbers, Outages } from './contracts.js';

export function localOrderNumbers(pool: pg.Pool, now: () => number = Date.now): OrderNumbers {
  return {
    async take(job: JobRef, prefix: string) {
      if (!ORDER_PREFIX.test(prefix)) throw new Error(`order number prefix must be 1-8 capital letters (got ${JSON.stringify(prefix)})`);
      return inTransaction(pool, async (client) => {
        // One attempt per element instance at a time; a retry waits for the first and then reads its number.
        await client.query('SELECT pg_advisory_xact_lock(740391016, hashtext($1))', [job.elementInstanceKey]);
        const known = await client.query<{ business_key: string }>('SELECT business_key FROM company_order_number WHERE element_instance_key = $1', [
          job.elementInstanceKey,
        ]);
        if (known.rows[0]) return { businessKey: known.rows[0].business_key };
        const day = chinaDate(now());
        const seq = await nextSequence(client, prefix, day);
        const businessKey = formatOrderNumber(prefix, day, seq);
        await client.query(
          `INSERT INTO company_order_number (element_instance_key, process_instance_key, prefix, day, seq, business_key) VALUES ($1, $2, $3, $4, $5, $6)`,
          [job.elementInstanceKey, job.processInstanceKey, prefix, day, seq, businessKey],
        );
        return { businessKey };
      });
    },
  };
}

export function localArrears(pool: pg.Pool): ArrearsService {
  return {
    async check(accountNo: string) {
      const { rows } = await pool.query<{ arrears: string }>('SELECT arrears::text FROM customer_account WHERE account_no = $1', [accountNo]);
      if (!rows[0]) return { found: false, arrearsAmount: 0 };
      return { found: true, arrearsAmount: Number(rows[0].arrears) };
    },
  };
}

export function localNotifier(pool: pg.Pool): CustomerNotifier {
  return {
    async send(job, message) {
      const inserted = await pool.query<{ created_at: Date }>(
        `INSERT INTO customer_message (element_instance_key, process_instance_key, business_key, phone, template, text)
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (element_instance_key) DO NOTHING RETURNING created_at`,
        [job.elementInstanceKey, job.processInstanceKey, message.businessKey, message.phone, message.template, message.text],
      );
      const row =
        inserted.rows[0] ??
        (await pool.query<{ created_at: Date }>('SELECT created_at FROM customer_message WHERE element_instance_key = $1', [job.elementInstanceKey])).rows[0]!;
      return { notifiedAt: row.created_at.toISOString() };
    },
  };
}

export function localOutages(pool: pg.Pool): Outages {
  return {
    async link(job, outageId, businessKey) {
      return inTransaction(pool, async (client) => {
        const { rows } = await client.query<{ state: 'open' | 'closed'; closed_at: Date | null; cause: string | null }>(
          'SELECT state, closed_at, cause FROM outage WHERE id = $1 FOR SHARE',
          [outageId],
        );
        const outage = rows[0];
        if (!outage) throw new Error(`company.outage-link: no outage '${outageId}'`);
        await client.query(
          `INSERT INTO outage_link (outage_id, process_instance_key, business_key, linked_by) VALUES ($1, $2, $3, 'system:process')
           ON CONFLICT (outage_id, process_instance_key) DO NOTHING`,
          [outageId, job.processInstanceKey, businessKey],
        );
        const restoredAt = outage.closed_at?.toISOString() ?? null;
        if (outage.state === 'closed') {
          await bufferRestoredMessage(client, { outageId, processInstanceKey: job.processInstanceKey, restoredAt: restoredAt!, cause: outage.cause });
        }
        return { outageId, state: outage.state, restoredAt, cause: outage.cause };
      });
    },
  };
}

export function localArchive(pool: pg.Pool): Archive {
  return {
    async store(job, record) {
      const inserted = await pool.query<{ archived_at: Date }>(
        `INSERT INTO company_archive (element_instance_key, process_instance_key, bpmn_process_id, business_key, variables)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (element_instance_key) DO NOTHING RETURNING archived_at`,
        [job.elementInstanceKey, job.processInstanceKey, job.bpmnProcessId, record.businessKey, JSON.stringify(record.variables)],
      );
      const row =
        inserted.rows[0] ??
        (await pool.query<{ archived_at: Date }>('SELECT archived_at FROM company_archive WHERE element_instance_key = $1', [job.elementInstanceKey])).rows[0]!;
      return { archivedAt: row.archived_at.toISOString() };
    },
  };
}

/** Every adapter on the local database. */
export function localCompanyAdapters(pool: pg.Pool, options: { now?: () => number } = {}): CompanyAdapters {
  return {
    orderNumbers: localOrderNumbers(pool, options.now),
    arrears: localArrears(pool),
    notifier: localNotifier(pool),
    outages: localOutages(pool),
    archive: localArchive(pool),
  };
}
