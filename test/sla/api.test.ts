// Calendars and SLA policies through the HTTP API, on the seeded data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addTime, Calendar } from '../../worktime/calendar.js';
import { loadCalendar } from '../../sla/calendars.js';
import { resolvePolicy } from '../../sla/policies.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers } from '../auth/users.js';
import { multipart } from '../support/engine.js';
import { expectCoded } from '../bpmn/helpers.js';
import { renderDeployMessage } from '../../bpmn/messages.js';

let stack: TestApp;
beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
});
afterAll(() => stack?.close());

const H = 3_600_000;
const call = (method: 'GET' | 'PUT', url: string, payload?: unknown, headers: Record<string, string> = ADMIN_AUTH) =>
  stack.app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('calendars', () => {
  it('are seeded from chinese-days for 2004-2026 and compute the National Day case', async () => {
    const list = await call('GET', '/api/calendars', undefined, auth('staffA'));
    expect(list.statusCode).toBe(200);
    const cn = list.json<Array<{ id: string; years: Array<{ year: number }> }>>().find((c) => c.id === 'cn')!;
    expect(cn.years.map((y) => y.year)).toEqual(Array.from({ length: 23 }, (_, i) => 2004 + i));
    const y2025 = (await call('GET', '/api/calendars/cn/years/2025')).json<{ holidays: string[]; workdays: string[] }>();
    expect(y2025.holidays).toContain('2025-10-08');
    expect(y2025.workdays).toEqual(expect.arrayContaining(['2025-09-28', '2025-10-11']));
    const cal = new Calendar(await loadCalendar(stack.pool, 'cn', 2025, 2026));
    const due = addTime(cal, 'workingDays', Date.parse('2025-09-29T10:00:00+08:00'), 5 * 24 * H);
    expect(new Date(due).toISOString()).toBe('2025-10-13T16:00:00.000Z'); // 14 Oct 00:00 in China
  });

  it('an uncovered year is named; an administrator adds it, others may not, bad dates are refused', async () => {
    const missing = await call('GET', '/api/calendars/cn/years/2027');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().detail).toMatch(/no data for 2027/);
    const year = { holidays: ['2027-01-01', '2027-10-01'], workdays: ['2027-10-09'] };
    expect((await call('PUT', '/api/calendars/cn/years/2027', year, auth('manager'))).statusCode).toBe(403);
    const weekday = await call('PUT', '/api/calendars/cn/years/2027', { holidays: [], workdays: ['2027-10-08'] });
    expect(weekday.statusCode).toBe(400);
    expect(weekday.json().detail).toMatch(/2027-10-08 is a weekday/);
    const wrongYear = await call('PUT', '/api/calendars/cn/years/2027', { holidays: ['2026-12-31'], workdays: [] });
    expect(wrongYear.json().detail).toMatch(/2026-12-31 is not in 2027/);
    const put = await call('PUT', '/api/calendars/cn/years/2027', year);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ year: 2027, ...year, source: 'api', updatedBy: 'admin' });
    const cal = new Calendar(await loadCalendar(stack.pool, 'cn', 2026, 2027));
    // From Tuesday 29 Dec 2026: 30 Dec (1), 31 Dec (2), 1 Jan 2027 is a holiday, Monday 4 Jan (3).
    expect(new Date(addTime(cal, 'workingDays', Date.parse('2026-12-29T09:00:00+08:00'), 3 * 24 * H)).toISOString()).toBe('2027-01-04T16:00:00.000Z');
  });
});

describe('SLA policies', () => {
  it('the 2023 commitments are in force; a change adds a version that later clocks resolve', async () => {
    const sets = (await call('GET', '/api/sla/policy-sets', undefined, auth('staffA'))).json<Array<{ key: string; isDefault: boolean }>>();
    expect(sets.find((s) => s.isDefault)?.key).toBe('commitments-2023');
    const policies = (await call('GET', '/api/sla/policies')).json<Array<{ key: string; duration: string; timeBase: string }>>();
    expect(policies.find((p) => p.key === 'bx.own-steps.hv-single')).toMatchObject({ duration: 'P22D', timeBase: 'workingDays' });
    expect(policies.find((p) => p.key === 'repair.arrival.urban')).toMatchObject({ duration: 'PT45M', timeBase: 'natural' });

    const before = await resolvePolicy(stack.pool, 'repair.arrival.urban');
    const change = { name: '到达现场（城区）', duration: 'PT40M', timeBase: 'natural', warnings: '50%, PT5M' };
    expect((await call('PUT', '/api/sla/policies/commitments-2023/repair.arrival.urban', change, auth('hub'))).statusCode).toBe(403);
    const put = await call('PUT', '/api/sla/policies/commitments-2023/repair.arrival.urban', change);
    expect(put.statusCode).toBe(200);
    expect(put.json()).toMatchObject({ version: before.version + 1, duration: 'PT40M', warnings: [{ at: 0.5 }, { before: 'PT5M' }], createdBy: 'admin' });
    expect((await resolvePolicy(stack.pool, 'repair.arrival.urban')).duration).toBe('PT40M');
    const versions = (await call('GET', '/api/sla/policies/commitments-2023/repair.arrival.urban/versions')).json<Array<{ version: number; duration: string }>>();
    expect(versions.map((v) => v.duration)).toEqual(['PT40M', 'PT45M']);

    const bad = await call('PUT', '/api/sla/policies/commitments-2023/repair.arrival.urban', { ...change, duration: '40 minutes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/duration: "40 minutes" is not an ISO 8601 duration/);
  });

  it('switching to the 2011 rules changes the complaint reply limit and keeps keys only the 2023 set has', async () => {
    expect((await resolvePolicy(stack.pool, 'complaint.reply')).duration).toBe('P5D');
    const sw = await call('PUT', '/api/sla/policy-sets/rules-2011/default');
    expect(sw.statusCode).toBe(200);
    expect((await resolvePolicy(stack.pool, 'complaint.reply')).duration).toBe('P7D');
    expect((await resolvePolicy(stack.pool, 'bx.own-steps.hv-dual')).duration).toBe('P32D');
    expect((await resolvePolicy(stack.pool, 'complaint.reply', 'commitments-2023')).duration).toBe('P5D');
    await call('PUT', '/api/sla/policy-sets/commitments-2023/default');
    await expect(resolvePolicy(stack.pool, 'no.such.policy')).rejects.toThrow(/'no.such.policy' does not exist/);
  });
});

describe('deploying a diagram with SLA attributes', () => {
  const diagram = (policy: string, lane = 'dept-a') =>
    `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0" id="d" targetNamespace="t">
  <bpmn:process id="sla-deploy" isExecutable="true">
    <bpmn:laneSet id="ls"><bpmn:lane id="l" name="${lane}"><bpmn:flowNodeRef>s</bpmn:flowNodeRef><bpmn:flowNodeRef>survey</bpmn:flowNodeRef><bpmn:flowNodeRef>e</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="survey" name="现场勘查"><bpmn:extensionElements><sla:limit policy="${policy}" /></bpmn:extensionElements></bpmn:userTask>
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="survey" /><bpmn:sequenceFlow id="f2" sourceRef="survey" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;
  const deploy = async (xml: string) => {
    const { payload, headers } = multipart([{ field: 'resources', name: 'sla.bpmn', content: xml }]);
    return stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
  };

  it('deploys and keeps the limit in the stored model', async () => {
    const res = await deploy(diagram('bx.site-visit'));
    expect(res.statusCode).toBe(200);
    const { rows } = await stack.pool.query<{ model: { nodes: Record<string, { sla?: unknown }> } }>(
      "SELECT model FROM process_definition WHERE bpmn_process_id = 'sla-deploy' ORDER BY version DESC LIMIT 1",
    );
    expect(rows[0]!.model.nodes['survey']!.sla).toEqual({ policy: '"bx.site-visit"', departments: ['dept-a'] });
  });

  it('refuses an unknown policy and a lane that is not a department, naming the element', async () => {
    const unknown = await deploy(diagram('bx.no-such-step'));
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().detail).toMatch(/survey \(bpmn:UserTask\): SLA names policy "bx.no-such-step", which no policy set has/);
    // The problem carries its catalogue code (bpmn/messages.ts): the web app shows it in the user's language.
    const [problem] = unknown.json().problems;
    expect(problem).toMatchObject({ elementId: 'survey', code: 'sla.unknownPolicy', params: { label: 'label.sla', policy: 'bx.no-such-step' } });
    expectCoded([problem]);
    expect(renderDeployMessage(problem.code, problem.params, 'zh-CN')).toBe(
      'SLA使用了策略 "bx.no-such-step"，但没有任何策略集包含它；请添加（PUT /api/sla/policies/{set}/bx.no-such-step）或改正键。',
    );
    const lane = await deploy(diagram('bx.site-visit', '供电所甲'));
    expect(lane.statusCode).toBe(400);
    expect(lane.json().detail).toMatch(/survey \(bpmn:UserTask\): SLA is the responsibility of "供电所甲", which is not a department/);
    expect(lane.json().problems).toEqual([expect.objectContaining({ code: 'sla.unknownDepartment', params: { label: 'label.sla', departments: '"供电所甲"' } })]);
    expectCoded(lane.json().problems);
  });
});
