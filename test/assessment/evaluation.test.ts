/**
 * Customer evaluations on the real stack (PostgreSQL, Temporal, a worker with the product's job
 * handlers): a return-visit user task completed records the phone evaluation; archiving the case
 * issues the one-time link that the customer SMS carries (only its hash stored); the public page
 * renders escaped, records once, refuses reuse (410), unknown tokens (404) and expired links (410),
 * and is rate-limited; staff record and correct phone evaluations and list them.
 *
 * The diagram is a small one with the same shape as the company's processes at their end (return
 * visit → company.archive); evaluation_task names its return visit as the seed names theirs.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueEvaluationLink } from '../../assessment/evaluations-link.js';
import { seedDemoCompany } from '../../server/auth/demo.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH, basicAuth } from '../support/stack.js';

const PASSWORD = 'demo-password';
const BUSINESS_KEY = 'GZ-<script>alert(1)</script>';
const XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="defs" targetNamespace="test">
  <bpmn:process id="visit-case" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="return-visit" />
    <bpmn:userTask id="return-visit" name="回访">
      <bpmn:extensionElements><zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="customer-service" /></bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="return-visit" targetRef="archive" />
    <bpmn:serviceTask id="archive" name="归档">
      <bpmn:extensionElements><zeebe:taskDefinition type="company.archive" /></bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f3" sourceRef="archive" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

let h: EngineHarness;
const as = (user: string) => (user === 'admin' ? ADMIN_AUTH : basicAuth(user, PASSWORD));
const HTML = { accept: 'text/html,application/xhtml+xml' };
const FORM = { ...HTML, 'content-type': 'application/x-www-form-urlencoded' };

function api(user: string, method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> {
  return h.app.inject({ method, url, headers: as(user), ...(payload !== undefined ? { payload: payload as object } : {}) });
}

interface EvaluationRow {
  channel: string;
  satisfaction: number;
  expected_minutes: number | null;
  perceived_minutes: number | null;
  comment: string | null;
  recorded_by: string | null;
  business_key: string | null;
  customer_class: string | null;
  area: string | null;
  closed_at: Date | null;
}
async function evaluationOf(pi: string): Promise<EvaluationRow | undefined> {
  const { rows } = await h.pool.query<EvaluationRow>('SELECT * FROM case_evaluation WHERE process_instance_key = $1', [pi]);
  return rows[0];
}

async function visit(pi: string, variables: Record<string, unknown>): Promise<void> {
  const task = await h.waitForTask(pi, 'return-visit');
  const assigned = await h.post(`/v2/user-tasks/${task.userTaskKey}/assignment`, { assignee: 'agent95598' });
  expect(assigned.statusCode, assigned.body).toBe(204);
  const done = await api('agent95598', 'POST', `/v2/user-tasks/${task.userTaskKey}/completion`, { variables });
  expect(done.statusCode, done.body).toBe(204);
}

let pi: string;
let token: string;

beforeAll(async () => {
  h = await startEngineHarness();
  await seedDemoCompany(h.pool, PASSWORD);
  await h.pool.query("INSERT INTO evaluation_task (bpmn_process_id, element_id) VALUES ('visit-case', 'return-visit')");
  const res = await h.deploy(XML, 'visit-case.bpmn');
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);
afterAll(() => h?.close());

describe('customer evaluation', () => {
  it('a completed return visit records the phone evaluation; archiving sends the one-time link by SMS, only its hash stored', async () => {
    pi = await h.start('visit-case', { businessKey: BUSINESS_KEY, customerName: '张三', contactPhone: '13800001234', customerClass: 'lv-residential', area: 'urban' });
    await visit(pi, { satisfaction: 'basically', expectedHours: 2, perceivedHours: 3.5, visitNote: '到达较慢' });
    await h.waitForEnd(pi);

    // 基本满意 → 4; 2 h → 120 min; 3.5 h → 210 min; recorded by the assignee.
    expect(await evaluationOf(pi)).toMatchObject({
      channel: 'phone', satisfaction: 4, expected_minutes: 120, perceived_minutes: 210, comment: '到达较慢', recorded_by: 'agent95598',
      business_key: BUSINESS_KEY, customer_class: 'lv-residential', area: 'urban',
    });
    expect((await evaluationOf(pi))!.closed_at).toBeInstanceOf(Date);

    const sms = await h.pool.query<{ template: string; text: string; phone: string }>('SELECT template, text, phone FROM customer_message WHERE process_instance_key = $1', [pi]);
    expect(sms.rows.map((r) => [r.template, r.phone])).toEqual([['return-visit', '13800001234']]);
    const m = /http:\/\/localhost:3000\/e\/([A-Za-z0-9_-]{43}) /.exec(sms.rows[0]!.text);
    expect(m, sms.rows[0]!.text).not.toBeNull();
    token = m![1]!;
    expect(sms.rows[0]!.text).toContain('尊敬的张三');
    expect(sms.rows[0]!.text.length).toBeLessThanOrEqual(500);

    const link = await h.pool.query<{ token_hash: Buffer; days: number; row: string }>(
      "SELECT token_hash, extract(epoch FROM expires_at - created_at) / 86400 AS days, row_to_json(l)::text AS row FROM evaluation_link l WHERE process_instance_key = $1",
      [pi],
    );
    expect(link.rows).toHaveLength(1);
    expect(link.rows[0]!.token_hash.equals(createHash('sha256').update(token).digest())).toBe(true);
    expect(Number(link.rows[0]!.days)).toBe(30);
    expect(link.rows[0]!.row).not.toContain(token);
    expect((await h.variables(pi)).evaluationLinkIssued).toBe(true);
  });

  it('the link page shows the case escaped, records the customer’s evaluation once and refuses the second use with 410', async () => {
    const page = await h.app.inject({ method: 'GET', url: `/e/${token}`, headers: HTML });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('GZ-&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('提交评价');
    expect(page.body).toContain(`action="/e/${token}"`);

    // A form without a score comes back with the message, and records nothing.
    const missing = await h.app.inject({ method: 'POST', url: `/e/${token}`, headers: FORM, payload: 'expectedValue=1' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('请选择满意度');
    expect((await evaluationOf(pi))!.channel).toBe('phone');

    const form = new URLSearchParams({ satisfaction: '2', expectedValue: '1', expectedUnit: 'hours', perceivedValue: '0.5', perceivedUnit: 'days', comment: '<b>太慢</b>' });
    const sent = await h.app.inject({ method: 'POST', url: `/e/${token}`, headers: FORM, payload: form.toString() });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.body).toContain('感谢您的评价');
    expect(sent.body).toContain('GZ-&lt;script&gt;');
    // The customer's own word replaces the phone record: 1 h → 60 min, half a day → 720 min.
    expect(await evaluationOf(pi)).toMatchObject({ channel: 'link', satisfaction: 2, expected_minutes: 60, perceived_minutes: 720, comment: '<b>太慢</b>', recorded_by: null });

    const again = await h.app.inject({ method: 'POST', url: `/e/${token}`, headers: FORM, payload: form.toString() });
    expect(again.statusCode).toBe(410);
    expect(again.body).toContain('此评价链接已使用过');
    expect(again.body).not.toContain('used already'); // the customer's page is Chinese; API clients get both
    const json = await h.app.inject({ method: 'POST', url: `/e/${token}`, payload: { satisfaction: 5 } });
    expect(json.statusCode).toBe(410);
    expect(json.headers['content-type']).toContain('application/problem+json');
    expect(json.json<{ detail: string }>().detail).toContain('used already');
    expect((await h.app.inject({ method: 'GET', url: `/e/${token}`, headers: HTML })).statusCode).toBe(410);
    expect((await evaluationOf(pi))!.satisfaction).toBe(2);

    // A phone record afterwards does not replace the customer's word (staff API: 409).
    const staff = await api('agent95598', 'POST', '/api/evaluations', { processInstanceKey: pi, satisfaction: 5 });
    expect(staff.statusCode).toBe(409);
    expect(staff.json<{ detail: string }>().detail).toContain('customer evaluated');
  });

  it('refuses an unknown or malformed token with 404 and an expired link with 410', async () => {
    const guessed = randomBytes(32).toString('base64url');
    for (const t of [guessed, 'abc', `${token.slice(0, 42)}${token.endsWith('A') ? 'B' : 'A'}`]) {
      const res = await h.app.inject({ method: 'GET', url: `/e/${encodeURIComponent(t)}`, headers: HTML });
      expect(res.statusCode, t).toBe(404);
      expect(res.body).toContain('链接无效');
      const post = await h.app.inject({ method: 'POST', url: `/e/${encodeURIComponent(t)}`, payload: { satisfaction: 5 } });
      expect(post.statusCode, t).toBe(404);
      expect(post.headers['content-type']).toContain('application/problem+json');
    }

    const other = await h.start('visit-case', {});
    const old = await issueEvaluationLink(h.pool, {
      processInstanceKey: other,
      bpmnProcessId: 'visit-case',
      variables: { contactPhone: '13800001235', businessKey: 'GZ-20261101-0001' },
      now: new Date(Date.now() - 31 * 86_400_000),
      baseUrl: 'https://fuwu.example.cn',
    });
    expect(old!.url).toBe(`https://fuwu.example.cn/e/${old!.token}`);
    const expired = await h.app.inject({ method: 'GET', url: `/e/${old!.token}`, headers: HTML });
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toContain('已过期');
    const post = await h.app.inject({ method: 'POST', url: `/e/${old!.token}`, payload: { satisfaction: 4 } });
    expect(post.statusCode).toBe(410);
    expect(await evaluationOf(other)).toBeUndefined();
    // One link per case; none without a usable phone number.
    expect(await issueEvaluationLink(h.pool, { processInstanceKey: other, bpmnProcessId: 'visit-case', variables: { contactPhone: '13800001235' } })).toBeNull();
    expect(await issueEvaluationLink(h.pool, { processInstanceKey: '12345', bpmnProcessId: 'visit-case', variables: { contactPhone: 'none' } })).toBeNull();
  });

  it('95598 staff record and correct a phone evaluation; a later return visit replaces it; others may not record', async () => {
    const second = await h.start('visit-case', { businessKey: 'GZ-20261101-0002', customerClass: 'hv-single' });
    await h.waitForTask(second, 'return-visit'); // the case's variables are in the read model
    const first = await api('agent95598', 'POST', '/api/evaluations', { processInstanceKey: second, satisfaction: 3, expectedMinutes: 30, perceivedMinutes: 45, comment: '电话回访' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({
      created: true,
      evaluation: { processInstanceKey: second, channel: 'phone', satisfaction: 3, satisfied: false, expectedMinutes: 30, perceivedMinutes: 45, recordedBy: 'agent95598', businessKey: 'GZ-20261101-0002', customerClass: 'hv-single' },
    });
    const corrected = await api('hub', 'POST', '/api/evaluations', { processInstanceKey: second, satisfaction: 5 });
    expect(corrected.statusCode).toBe(200);
    expect(corrected.json()).toMatchObject({ created: false, evaluation: { satisfaction: 5, satisfied: true, expectedMinutes: null, recordedBy: 'hub' } });

    for (const [body, field] of [
      [{ processInstanceKey: second, satisfaction: 6 }, 'satisfaction'],
      [{ processInstanceKey: second, satisfaction: 3, expectedMinutes: -1 }, 'expectedMinutes'],
      [{ processInstanceKey: second, satisfaction: 3, perceivedMinutes: 600_000 }, 'perceivedMinutes'],
      [{ processInstanceKey: second, satisfaction: 3, comment: 'x'.repeat(2001) }, 'comment'],
      [{ processInstanceKey: second, satisfaction: 3, extra: 1 }, 'extra'],
    ] as const) {
      const bad = await api('agent95598', 'POST', '/api/evaluations', body);
      expect(bad.statusCode, field).toBe(400);
      expect(bad.json<{ detail: string }>().detail, field).toContain(field === 'extra' ? 'extra' : field);
    }
    expect((await api('agent95598', 'POST', '/api/evaluations', { processInstanceKey: '2251799813000001', satisfaction: 3 })).statusCode).toBe(404);
    const station = await api('station', 'POST', '/api/evaluations', { processInstanceKey: second, satisfaction: 1 });
    expect(station.statusCode).toBe(403);
    expect(station.json<{ detail: string }>().detail).toContain('95598');

    // The return visit on the phone replaces the earlier phone record: 不满意 → 2.
    await visit(second, { satisfaction: 'unsatisfied', expectedHours: 1 });
    await h.waitFor('the phone visit recorded', async () => (await evaluationOf(second))?.satisfaction === 2);
    expect(await evaluationOf(second)).toMatchObject({ channel: 'phone', satisfaction: 2, expected_minutes: 60, perceived_minutes: null, recorded_by: 'agent95598' });
  });

  it('lists evaluations by process and channel; staff outside 95598 and the hub see only their departments’ cases', async () => {
    const all = await api('manager', 'GET', '/api/evaluations?process=visit-case');
    expect(all.statusCode, all.body).toBe(200);
    const body = all.json<{ items: Array<{ processInstanceKey: string; channel: string }>; page: { totalItems: number } }>();
    expect(body.page.totalItems).toBe(2);
    expect(body.items.map((i) => i.channel).sort()).toEqual(['link', 'phone']);
    const links = await api('agent95598', 'GET', '/api/evaluations?channel=link&limit=1');
    expect(links.json<{ items: Array<{ processInstanceKey: string }> }>().items.map((i) => i.processInstanceKey)).toEqual([pi]);
    const station = await api('station', 'GET', '/api/evaluations');
    expect(station.json<{ page: { totalItems: number } }>().page.totalItems).toBe(0);
    expect((await api('manager', 'GET', '/api/evaluations?month=2026-13')).statusCode).toBe(400);
    expect((await api('manager', 'GET', '/api/evaluations?limit=1000')).statusCode).toBe(400);
  });

  it('limits requests to the public link routes per address (429 with Retry-After)', async () => {
    const statuses: number[] = [];
    let limited: LightMyRequestResponse | undefined;
    for (let i = 0; i < 40 && !limited; i++) {
      const res = await h.app.inject({ method: 'GET', url: `/e/${randomBytes(32).toString('base64url')}`, remoteAddress: '203.0.113.7' });
      statuses.push(res.statusCode);
      if (res.statusCode === 429) limited = res;
    }
    expect(statuses.slice(0, 30).every((s) => s === 404)).toBe(true);
    expect(limited?.statusCode).toBe(429);
    expect(limited!.headers['retry-after']).toBeDefined();
    expect(limited!.headers['content-type']).toContain('application/problem+json');
    // Another address is not affected.
    expect((await h.app.inject({ method: 'GET', url: `/e/${randomBytes(32).toString('base64url')}`, remoteAddress: '203.0.113.8' })).statusCode).toBe(404);
  });
});
