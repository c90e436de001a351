/**
 * The rules of customer evaluations on PostgreSQL alone (assessment/migrations/0019_evaluation.sql):
 * how a return-visit form's answers become a score and minutes, which record wins when several
 * arrive, which department a case counts for; the link page's form parsing; and that the seeded
 * return-visit steps are the company's diagrams' return-visit user tasks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FormError, parseLinkForm, escapeHtml } from '../../assessment/evaluations-page.js';
import { linkMessage } from '../../assessment/evaluations-link.js';
import { REPO_ROOT } from '../../server/app.js';
import { createTestDatabase, type TestDatabase } from '../support/stack.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
}, 60_000);
afterAll(() => db?.drop());

async function one<T>(sql: string, params: unknown[] = []): Promise<T> {
  const { rows } = await db.pool.query<{ v: T }>(sql, params);
  return rows[0]!.v;
}

describe('evaluation rules in PostgreSQL', () => {
  it('scores a return-visit form: a 1–5 number when given, else 满意 5, 基本满意 4, 不满意 2', async () => {
    const score = (vars: unknown) => one<number | null>('SELECT evaluation_score($1::jsonb) AS v', [JSON.stringify(vars)]);
    expect(await score({ satisfaction: 'satisfied' })).toBe(5);
    expect(await score({ satisfaction: 'basically' })).toBe(4);
    expect(await score({ satisfaction: 'basically-satisfied' })).toBe(4);
    expect(await score({ satisfaction: 'unsatisfied' })).toBe(2);
    expect(await score({ satisfaction: 'unsatisfied', perceivedScore: 3 })).toBe(3);
    expect(await score({ satisfactionScore: 4.6, perceivedScore: 1 })).toBe(5);
    expect(await score({ satisfactionScore: 9, satisfaction: 'satisfied' })).toBe(5); // out of range: the select decides
    expect(await score({ satisfaction: 'other' })).toBeNull();
    expect(await score({})).toBeNull();
  });

  it('turns minutes, hours or days into minutes and refuses what is not a duration', async () => {
    const minutes = (vars: unknown, base: string) => one<number | null>('SELECT evaluation_minutes($1::jsonb, $2) AS v', [JSON.stringify(vars), base]);
    expect(await minutes({ expectedMinutes: 45 }, 'expected')).toBe(45);
    expect(await minutes({ expectedHours: 2.5 }, 'expected')).toBe(150);
    expect(await minutes({ perceivedDays: 3 }, 'perceived')).toBe(4320);
    expect(await minutes({ expectedMinutes: 10, expectedHours: 5 }, 'expected')).toBe(10);
    expect(await minutes({ expectedHours: -1 }, 'expected')).toBeNull();
    expect(await minutes({ expectedDays: 366 }, 'expected')).toBeNull();
    expect(await minutes({ expectedHours: '2' }, 'expected')).toBeNull();
    expect(await minutes({ perceivedHours: 2 }, 'expected')).toBeNull();
  });

  it('keeps the customer’s own word: link replaces phone, phone replaces phone, phone never replaces link', async () => {
    await db.pool.query(
      "INSERT INTO process_instance (key, process_definition_key, bpmn_process_id, version, state) VALUES (7001, 1, 'fault-repair', 1, 'ACTIVE')",
    );
    const record = (ch: string, score: number, by: string | null) =>
      one<boolean>('SELECT evaluation_record(7001, $1, $2::smallint, 10, 20, NULL, $3, now()) AS v', [ch, score, by]);
    const current = async () => (await db.pool.query('SELECT channel, satisfaction, recorded_by FROM case_evaluation WHERE process_instance_key = 7001')).rows[0];
    expect(await record('phone', 3, 'agent')).toBe(true);
    expect(await record('phone', 4, 'agent2')).toBe(true);
    expect(await current()).toEqual({ channel: 'phone', satisfaction: 4, recorded_by: 'agent2' });
    expect(await record('link', 1, null)).toBe(true);
    expect(await record('phone', 5, 'agent')).toBe(false);
    expect(await current()).toEqual({ channel: 'link', satisfaction: 1, recorded_by: null });
  });

  it('counts a case for handlingDept, else the non-hub department whose clocks took longest, return visits left out', async () => {
    await db.pool.query(`INSERT INTO department (id, name, is_hub) VALUES ('marketing', '营销部', true), ('customer-service', '95598', false),
      ('station-rural', '农村供电所', false), ('operations', '运维检修部', false) ON CONFLICT (id) DO NOTHING`);
    const clock = (pi: number, element: string, dept: string, minutes: number, outcome = 'met') =>
      db.pool.query(
        `INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, element_id, element_instance_key,
                                departments, duration_ms, time_base, status, outcome, started_at, ended_at, updated_at)
         VALUES ($1, $2::bigint, 1, 'fault-repair', 1, 'element', $3, $2::bigint + 1, ARRAY[$4], 60000, 'natural', 'ended', $5,
                 '2026-11-02T00:00:00Z', '2026-11-02T00:00:00Z'::timestamptz + make_interval(mins => $6), now())`,
        [`${pi}:${element}`, pi, element, dept, outcome, minutes],
      );
    const department = (pi: number) => one<string | null>('SELECT evaluation_case_department($1) AS v', [pi]);
    // station-rural 30 + 40 = 70 beats operations 60; the hub (500) and the return visit (900) do not count; cancelled neither.
    await clock(8001, 'station-arrive', 'station-rural', 30);
    await clock(8001, 'station-restore', 'station-rural', 40);
    await clock(8001, 'ops-restore', 'operations', 60);
    await clock(8001, 'ops-report', 'operations', 600, 'cancelled');
    await clock(8001, 'auto-dispatch', 'marketing', 500, 'late');
    await clock(8001, 'return-visit', 'customer-service', 900);
    expect(await department(8001)).toBe('station-rural');
    // Only the hub: the first clock's department.
    await clock(8002, 'auto-dispatch', 'marketing', 5);
    expect(await department(8002)).toBe('marketing');
    // handlingDept wins when it names a department; an unknown one is ignored.
    await db.pool.query(`INSERT INTO variable (scope_key, name, process_instance_key, value) VALUES (8001, 'handlingDept', 8001, '"operations"'), (8002, 'handlingDept', 8002, '"nowhere"')`);
    expect(await department(8001)).toBe('operations');
    expect(await department(8002)).toBe('marketing');
    expect(await department(8003)).toBeNull();
  });

  it('names the company diagrams’ return-visit user tasks in evaluation_task', async () => {
    const { rows } = await db.pool.query<{ bpmn_process_id: string; element_id: string }>('SELECT bpmn_process_id, element_id FROM evaluation_task ORDER BY 1');
    expect(rows.map((r) => r.bpmn_process_id)).toEqual(['business-expansion', 'complaint', 'fault-repair']);
    for (const r of rows) {
      const xml = readFileSync(path.join(REPO_ROOT, 'processes', `${r.bpmn_process_id}.bpmn`), 'utf8');
      expect(xml, r.bpmn_process_id).toMatch(new RegExp(`<bpmn:process id="${r.bpmn_process_id}"`));
      expect(xml, r.bpmn_process_id).toMatch(new RegExp(`<bpmn:userTask id="${r.element_id}" name="回访"`));
      // Its form asks for the expected and perceived durations the trigger reads.
      const formId = /<bpmn:userTask id="return-visit"[\s\S]*?formId="([^"]+)"/.exec(xml)![1]!;
      const forms = ['business-expansion', 'complaint', 'fault-repair'].map((p) => readFileSync(path.join(REPO_ROOT, 'processes', 'forms', `${p}-return-visit.form`), 'utf8'));
      const form = forms.find((f) => (JSON.parse(f) as { id: string }).id === formId)!;
      expect(form, formId).toMatch(/"key": "expected(Hours|Days)"/);
      expect(form, formId).toMatch(/"key": "perceived(Hours|Days)"/);
    }
  });
});

describe('the link page', () => {
  it('reads the form into minutes and names what is wrong', () => {
    expect(parseLinkForm({ satisfaction: '4', expectedValue: '2', expectedUnit: 'hours', perceivedValue: '1.5', perceivedUnit: 'days', comment: ' 好 ' })).toEqual({
      satisfaction: 4, expectedMinutes: 120, perceivedMinutes: 2160, comment: '好',
    });
    expect(parseLinkForm({ satisfaction: '1', expectedValue: '', perceivedValue: '90', perceivedUnit: 'minutes' })).toEqual({
      satisfaction: 1, expectedMinutes: null, perceivedMinutes: 90, comment: null,
    });
    expect(() => parseLinkForm({ satisfaction: '6' })).toThrow(FormError);
    expect(() => parseLinkForm({ satisfaction: '3', expectedValue: '-1' })).toThrow(/expectedValue/);
    expect(() => parseLinkForm({ satisfaction: '3', expectedValue: '1e3' })).toThrow(/expectedValue/);
    expect(() => parseLinkForm({ satisfaction: '3', perceivedValue: '400', perceivedUnit: 'days' })).toThrow(/perceivedValue/);
    expect(() => parseLinkForm({ satisfaction: '3', perceivedValue: '4', perceivedUnit: 'weeks' })).toThrow(/perceivedUnit/);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps the SMS within 500 characters with the link whole', () => {
    const url = `https://fuwu.example.cn/e/${'A'.repeat(43)}`;
    const text = linkMessage({ customerName: '很长的名字'.repeat(100), businessKey: 'GZ-20261101-0001' }, url);
    expect(text.length).toBeLessThanOrEqual(500);
    expect(text).toContain(`${url} （30天内有效）`);
    expect(text.startsWith('【供电服务】')).toBe(true);
  });
});
