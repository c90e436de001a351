/**
 * The company's job handlers (company/handlers) on real PostgreSQL, called as the engine calls
 * them (a Job): order numbers (format, China day, per prefix and day, no second number for a retried
 * job, no gaps or duplicates under concurrency), arrears, the customer SMS outbox (templates, one
 * message per element instance, no SMS without a phone), outage links (buffered message when the
 * outage is already closed) and archive records; misconfigured headers throw (→ retries, incident).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Job, JobHandler } from '../../activities/jobs.js';
import {
  ARCHIVE_JOB_TYPE,
  ARREARS_CHECK_JOB_TYPE,
  companyJobHandlers,
  COMPANY_JOB_TYPES,
  NOTIFY_CUSTOMER_JOB_TYPE,
  ORDER_NUMBER_JOB_TYPE,
  OUTAGE_LINK_JOB_TYPE,
  renderCustomerMessage,
} from '../../company/handlers/index.js';
import { localCompanyAdapters } from '../../company/handlers/local.js';
import { createOutage } from '../../company/outages.js';
import { chinaDate } from '../../company/sequence.js';
import { productJobHandlers } from '../../server/worker.js';
import { createTestDatabase, type TestDatabase } from '../support/stack.js';

let db: TestDatabase;
let handlers: Map<string, JobHandler>;
let clock = Date.parse('2026-12-01T02:00:00Z'); // 10:00 in China, 1 December

let nextKey = 2251799813900000n;
const key = () => (nextKey += 1024n).toString();

function job(type: string, o: { headers?: Record<string, string>; variables?: Record<string, unknown>; elementInstanceKey?: string; pi?: string } = {}): Job {
  const pi = o.pi ?? key();
  return {
    processInstanceKey: pi,
    bpmnProcessId: 'fault-repair',
    elementInstanceKey: o.elementInstanceKey ?? (BigInt(pi) + 5n).toString(),
    elementId: 'task',
    jobType: type,
    headers: o.headers ?? {},
    variables: o.variables ?? {},
  };
}

const run = async (j: Job) => (await handlers.get(j.jobType)!(j)) as Record<string, unknown>;

beforeAll(async () => {
  db = await createTestDatabase();
  handlers = companyJobHandlers(localCompanyAdapters(db.pool, { now: () => clock }));
});
afterAll(async () => {
  await db?.drop();
});

describe('registration', () => {
  it('every worker has every company job type besides hub.raise', () => {
    const registered = productJobHandlers(db.pool);
    for (const type of COMPANY_JOB_TYPES) expect(registered.has(type), type).toBe(true);
    expect(registered.has('hub.raise')).toBe(true);
  });
});

describe('company.order-number', () => {
  it('numbers per prefix and China day: GZ-20261201-0001, -0002; TS starts again at 0001', async () => {
    expect(await run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'GZ' } }))).toEqual({ businessKey: 'GZ-20261201-0001' });
    expect(await run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'GZ' } }))).toEqual({ businessKey: 'GZ-20261201-0002' });
    expect(await run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'TS' } }))).toEqual({ businessKey: 'TS-20261201-0001' });
  });

  it('takes the China date: 17:00 UTC on 1 December is already 2 December in China', async () => {
    expect(chinaDate(Date.parse('2026-12-01T15:59:59Z'))).toBe('2026-12-01');
    expect(chinaDate(Date.parse('2026-12-01T16:00:00Z'))).toBe('2026-12-02');
    clock = Date.parse('2026-12-01T17:00:00Z');
    try {
      expect(await run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'GZ' } }))).toEqual({ businessKey: 'GZ-20261202-0001' });
    } finally {
      clock = Date.parse('2026-12-01T02:00:00Z');
    }
  });

  it('a retried job (same element instance) answers the number it took; a new pass takes a new one', async () => {
    const first = job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'YK' } });
    const a = await run(first);
    const b = await run({ ...first });
    expect(b).toEqual(a);
    const again = await run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'YK' }, pi: first.processInstanceKey, elementInstanceKey: (BigInt(first.elementInstanceKey) + 1n).toString() }));
    expect(again).not.toEqual(a);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM company_order_number WHERE process_instance_key = $1', [first.processInstanceKey]);
    expect(rows[0].n).toBe(2);
  });

  it('concurrent jobs get distinct consecutive numbers; concurrent retries of one job get one number', async () => {
    const jobs = Array.from({ length: 12 }, () => job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'BX' } }));
    const retried = jobs[0]!;
    const results = await Promise.all([...jobs, retried, retried].map((j) => run(j)));
    const keys = results.map((r) => r['businessKey'] as string);
    expect(keys[12]).toBe(keys[0]);
    expect(keys[13]).toBe(keys[0]);
    expect(new Set(keys.slice(0, 12)).size).toBe(12);
    expect([...keys.slice(0, 12)].sort()).toEqual(Array.from({ length: 12 }, (_, i) => `BX-20261201-${String(i + 1).padStart(4, '0')}`));
  });

  it('a missing or malformed prefix throws (the engine retries, then raises an incident)', async () => {
    await expect(run(job(ORDER_NUMBER_JOB_TYPE))).rejects.toThrow(/task header 'prefix'/);
    await expect(run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'gz' } }))).rejects.toThrow(/capital letters/);
  });

  it('past 9999 the number grows a digit', async () => {
    await db.pool.query(`INSERT INTO company_sequence (prefix, day, last_no) VALUES ('ZZ', '2026-12-01', 9999)`);
    expect(await run(job(ORDER_NUMBER_JOB_TYPE, { headers: { prefix: 'ZZ' } }))).toEqual({ businessKey: 'ZZ-20261201-10000' });
  });
});

describe('company.arrears-check', () => {
  it('the demo accounts: ten, two with arrears', async () => {
    const { rows } = await db.pool.query<{ n: number; owing: number }>('SELECT count(*)::int AS n, count(*) FILTER (WHERE arrears > 0)::int AS owing FROM customer_account');
    expect(rows[0]).toEqual({ n: 10, owing: 2 });
  });

  it('answers the arrears of an account', async () => {
    expect(await run(job(ARREARS_CHECK_JOB_TYPE, { variables: { accountNo: '0100000002' } }))).toEqual({ hasArrears: true, arrearsAmount: 236.5, accountFound: true });
    expect(await run(job(ARREARS_CHECK_JOB_TYPE, { variables: { accountNo: '0100000001' } }))).toEqual({ hasArrears: false, arrearsAmount: 0, accountFound: true });
  });

  it('an unknown or missing account has no arrears (a new customer has no account yet)', async () => {
    expect(await run(job(ARREARS_CHECK_JOB_TYPE, { variables: { accountNo: '9999999999' } }))).toEqual({ hasArrears: false, arrearsAmount: 0, accountFound: false });
    expect(await run(job(ARREARS_CHECK_JOB_TYPE))).toEqual({ hasArrears: false, arrearsAmount: 0, accountFound: false });
  });

  it('a failing billing system throws', async () => {
    const failing = companyJobHandlers({
      ...localCompanyAdapters(db.pool),
      arrears: { check: () => Promise.reject(new Error('billing system unreachable')) },
    });
    await expect(Promise.resolve(failing.get(ARREARS_CHECK_JOB_TYPE)!(job(ARREARS_CHECK_JOB_TYPE, { variables: { accountNo: '0100000002' } })))).rejects.toThrow(
      'billing system unreachable',
    );
  });
});

describe('company.notify-customer', () => {
  it('writes one SMS to the outbox with the rendered template', async () => {
    const j = job(NOTIFY_CUSTOMER_JOB_TYPE, {
      headers: { template: 'accepted' },
      variables: { contactPhone: '13900000000', customerName: '张伟', businessKey: 'GZ-20261201-0001' },
    });
    const out = await run(j);
    expect(typeof out['notifiedAt']).toBe('string');
    const { rows } = await db.pool.query('SELECT phone, template, text, business_key, process_instance_key::text AS pi, sent_at FROM customer_message WHERE element_instance_key = $1', [
      j.elementInstanceKey,
    ]);
    expect(rows).toEqual([
      {
        phone: '13900000000',
        template: 'accepted',
        text: '【供电服务】尊敬的张伟，您的故障报修已受理（工单号GZ-20261201-0001），我们将尽快为您处理。如有疑问请致电95598。',
        business_key: 'GZ-20261201-0001',
        pi: j.processInstanceKey,
        sent_at: null,
      },
    ]);
  });

  it('a retried job sends no second SMS and answers the first time', async () => {
    const j = job(NOTIFY_CUSTOMER_JOB_TYPE, { headers: { template: 'power-on' }, variables: { contactPhone: '13900000001', businessKey: 'YK-20261201-0001' } });
    const a = await run(j);
    const b = await run(j);
    expect(b).toEqual(a);
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM customer_message WHERE process_instance_key = $1', [j.processInstanceKey]);
    expect(rows[0].n).toBe(1);
  });

  it('every template renders; restored names the cause, reply the result, a header text replaces the template', () => {
    const v = { customerName: '王芳', businessKey: 'TS-20261201-0003', cause: '10kV线路故障', replyText: '已更换电表', missingMaterials: '房产证明' };
    for (const t of ['accepted', 'dispatched', 'restored', 'reply', 'return-visit', 'material-missing', 'power-on'] as const) {
      expect(renderCustomerMessage(t, v)).toMatch(/^【供电服务】尊敬的王芳，/);
    }
    expect(renderCustomerMessage('restored', v)).toContain('停电原因：10kV线路故障');
    expect(renderCustomerMessage('reply', v)).toContain('您的投诉（工单号TS-20261201-0003）已办理完毕。处理结果：已更换电表');
    expect(renderCustomerMessage('material-missing', v)).toContain('请补充房产证明');
    expect(renderCustomerMessage('accepted', v, '{customerName}您好，工单{businessKey}{unknown}')).toBe('【供电服务】王芳您好，工单TS-20261201-0003');
    expect(renderCustomerMessage('accepted', { customerName: 'x'.repeat(600) })).toHaveLength(500);
  });

  it('without a valid phone nothing is sent and notifiedAt is null', async () => {
    const a = job(NOTIFY_CUSTOMER_JOB_TYPE, { headers: { template: 'reply' } });
    const b = job(NOTIFY_CUSTOMER_JOB_TYPE, { headers: { template: 'reply' }, variables: { contactPhone: 'call me' } });
    expect(await run(a)).toEqual({ notifiedAt: null });
    expect(await run(b)).toEqual({ notifiedAt: null });
    const { rows } = await db.pool.query('SELECT count(*)::int AS n FROM customer_message WHERE process_instance_key IN ($1, $2)', [a.processInstanceKey, b.processInstanceKey]);
    expect(rows[0].n).toBe(0);
  });

  it('an unknown template throws', async () => {
    await expect(run(job(NOTIFY_CUSTOMER_JOB_TYPE, { headers: { template: 'hello' }, variables: { contactPhone: '13900000000' } }))).rejects.toThrow(/task header 'template'/);
  });
});

describe('company.outage-link', () => {
  it('without outageId there is nothing to link', async () => {
    expect(await run(job(OUTAGE_LINK_JOB_TYPE))).toEqual({ outageId: null });
  });

  it('links the instance to an open outage once', async () => {
    const outage = await createOutage(db.pool, { title: '城关镇10kV线路停电', area: 'urban', actor: 'hub1', now: clock });
    expect(outage.id).toBe('OUT-20261201-01');
    const j = job(OUTAGE_LINK_JOB_TYPE, { variables: { outageId: outage.id, businessKey: 'GZ-20261201-0009' } });
    expect(await run(j)).toEqual({ outageId: outage.id, outageState: 'open' });
    expect(await run(j)).toEqual({ outageId: outage.id, outageState: 'open' });
    const { rows } = await db.pool.query('SELECT business_key, linked_by FROM outage_link WHERE outage_id = $1', [outage.id]);
    expect(rows).toEqual([{ business_key: 'GZ-20261201-0009', linked_by: 'system:process' }]);
  });

  it('a closed outage leaves one buffered outage-restored message for the instance', async () => {
    const outage = await createOutage(db.pool, { title: '河口乡停电', area: 'rural', actor: 'hub1', now: clock });
    expect(outage.id).toBe('OUT-20261201-02');
    await db.pool.query(`UPDATE outage SET state = 'closed', closed_at = now(), closed_by = 'hub1', cause = '变压器烧毁' WHERE id = $1`, [outage.id]);
    const j = job(OUTAGE_LINK_JOB_TYPE, { variables: { outageId: outage.id } });
    expect(await run(j)).toEqual({ outageId: outage.id, outageState: 'closed' });
    await run(j);
    const { rows } = await db.pool.query(`SELECT name, correlation_key, variables, correlated_to FROM message WHERE correlation_key = $1`, [outage.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ name: 'outage-restored', correlation_key: outage.id, correlated_to: null, variables: { cause: '变压器烧毁' } });
  });

  it('an unknown outage throws', async () => {
    await expect(run(job(OUTAGE_LINK_JOB_TYPE, { variables: { outageId: 'OUT-20261201-99' } }))).rejects.toThrow(/no outage 'OUT-20261201-99'/);
  });
});

describe('company.archive', () => {
  it('stores the case once per element instance', async () => {
    const j = job(ARCHIVE_JOB_TYPE, { variables: { businessKey: 'YK-20261201-0001', customerName: '华能机械厂', important: true } });
    const a = await run(j);
    expect(typeof a['archivedAt']).toBe('string');
    expect(await run(j)).toEqual(a);
    const { rows } = await db.pool.query('SELECT business_key, bpmn_process_id, variables FROM company_archive WHERE process_instance_key = $1', [j.processInstanceKey]);
    expect(rows).toEqual([{ business_key: 'YK-20261201-0001', bpmn_process_id: 'fault-repair', variables: { businessKey: 'YK-20261201-0001', customerName: '华能机械厂', important: true } }]);
  });
});
