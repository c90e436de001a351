/**
 * The SLA board's figures (GET /api/sla/board, /api/sla/heatmap, /api/sla/trends) on clocks and events
 * written straight into sla_clock and sla_event, with every expected figure computed by hand below.
 *
 * The period P is the week 1–7 March 2026 in China (2026-02-28T16:00Z .. 2026-03-07T16:00Z).
 *   clock  departments     element  started (UTC)     state                          events in P
 *   c1     dept-a          survey   03-02 01:00       met at 03-02 03:00 (2 h)       STARTED, MET
 *   c2     dept-a          survey   03-02 02:00       late at 03-03 02:00 (24 h)     STARTED, BREACHED 03-02 10:00, LATE
 *   c3     dept-a, dept-b  reply    03-04 00:00       open, breached                 STARTED, BREACHED 03-05 00:00
 *   c4     dept-b          reply    03-06 00:00       open, warned (level 1)         STARTED
 *   c5     dept-b          reply    03-06 17:00       open, due in 1 h (at risk)     STARTED (03-07 01:00 in China)
 *   c6     dept-b          survey   03-07 00:00       open, due in a day             STARTED
 *   c7     dept-a          survey   02-19 00:00       met at 02-20 (before P)        —
 *   c8     dept-a          survey   03-03 00:00       cancelled at 03-03 05:00       STARTED, CANCELLED
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers, type TestUser } from '../auth/users.js';
import { multipart } from '../support/engine.js';

let stack: TestApp;
let definitionKey: string;
const H = 3_600_000;
const FROM = '2026-03-01T00:00:00+08:00';
const TO = '2026-03-08T00:00:00+08:00';

const get = (url: string, who: TestUser | 'admin' = 'manager') => stack.app.inject({ method: 'GET', url, headers: auth(who) });

const DIAGRAM = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="board-p" name="看板测试" isExecutable="true">
    <bpmn:startEvent id="s" />
    <bpmn:userTask id="survey" name="现场勘查" />
    <bpmn:userTask id="reply" name="答复" />
    <bpmn:endEvent id="e" />
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="survey" />
    <bpmn:sequenceFlow id="f2" sourceRef="survey" targetRef="reply" />
    <bpmn:sequenceFlow id="f3" sourceRef="reply" targetRef="e" />
  </bpmn:process>
</bpmn:definitions>`;

interface ClockRow {
  key: string;
  departments: string[];
  element: string;
  started: string;
  status: 'running' | 'ended';
  outcome?: 'met' | 'late' | 'cancelled';
  ended?: string;
  breached?: boolean;
  warned?: number;
  due: string;
  events: Array<[type: string, at: string]>;
}

beforeAll(async () => {
  stack = await startTestApp();
  await createUsers(stack.app);
  const { payload, headers } = multipart([{ field: 'resources', name: 'board.bpmn', content: DIAGRAM }]);
  const dep = await stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
  expect(dep.statusCode).toBe(200);
  definitionKey = dep.json<{ deployments: Array<{ processDefinition: { processDefinitionKey: string } }> }>().deployments[0]!.processDefinition.processDefinitionKey;

  const now = Date.now();
  const clocks: ClockRow[] = [
    { key: 'c1', departments: ['dept-a'], element: 'survey', started: '2026-03-02T01:00:00Z', status: 'ended', outcome: 'met', ended: '2026-03-02T03:00:00Z', due: '2026-03-03T01:00:00Z', events: [['STARTED', '2026-03-02T01:00:00Z'], ['MET', '2026-03-02T03:00:00Z']] },
    { key: 'c2', departments: ['dept-a'], element: 'survey', started: '2026-03-02T02:00:00Z', status: 'ended', outcome: 'late', ended: '2026-03-03T02:00:00Z', breached: true, due: '2026-03-02T10:00:00Z', events: [['STARTED', '2026-03-02T02:00:00Z'], ['BREACHED', '2026-03-02T10:00:00Z'], ['LATE', '2026-03-03T02:00:00Z']] },
    { key: 'c3', departments: ['dept-a', 'dept-b'], element: 'reply', started: '2026-03-04T00:00:00Z', status: 'running', breached: true, warned: 2, due: '2026-03-05T00:00:00Z', events: [['STARTED', '2026-03-04T00:00:00Z'], ['BREACHED', '2026-03-05T00:00:00Z']] },
    { key: 'c4', departments: ['dept-b'], element: 'reply', started: '2026-03-06T00:00:00Z', status: 'running', warned: 1, due: new Date(now + 240 * H).toISOString(), events: [['STARTED', '2026-03-06T00:00:00Z']] },
    { key: 'c5', departments: ['dept-b'], element: 'reply', started: '2026-03-06T17:00:00Z', status: 'running', due: new Date(now + H).toISOString(), events: [['STARTED', '2026-03-06T17:00:00Z']] },
    { key: 'c6', departments: ['dept-b'], element: 'survey', started: '2026-03-07T00:00:00Z', status: 'running', due: new Date(now + 24 * H).toISOString(), events: [['STARTED', '2026-03-07T00:00:00Z']] },
    { key: 'c7', departments: ['dept-a'], element: 'survey', started: '2026-02-19T00:00:00Z', status: 'ended', outcome: 'met', ended: '2026-02-20T00:00:00Z', due: '2026-02-21T00:00:00Z', events: [['STARTED', '2026-02-19T00:00:00Z'], ['MET', '2026-02-20T00:00:00Z']] },
    { key: 'c8', departments: ['dept-a'], element: 'survey', started: '2026-03-03T00:00:00Z', status: 'ended', outcome: 'cancelled', ended: '2026-03-03T05:00:00Z', due: '2026-03-04T00:00:00Z', events: [['STARTED', '2026-03-03T00:00:00Z'], ['CANCELLED', '2026-03-03T05:00:00Z']] },
  ];
  let instance = 9_000_000;
  for (const c of clocks) {
    instance += 1;
    await stack.pool.query(
      `INSERT INTO sla_clock (key, process_instance_key, process_definition_key, bpmn_process_id, version, kind, element_id, element_instance_key,
                              name, departments, duration_ms, time_base, status, outcome, warned_level, breached, started_at, due_at, ended_at, updated_at)
       VALUES ($1, $2::bigint, $3, 'board-p', 1, 'element', $4, $2::bigint + 1, $5, $6, 86400000, 'natural', $7, $8, $9, $10, $11, $12, $13, now())`,
      [c.key, instance, definitionKey, c.element, c.element === 'survey' ? '现场勘查' : '答复', c.departments, c.status, c.outcome ?? null, c.warned ?? 0, c.breached ?? false, c.started, c.due, c.ended ?? null],
    );
    let seq = 0;
    for (const [type, at] of c.events) {
      seq += 1;
      await stack.pool.query(
        `INSERT INTO sla_event (process_instance_key, seq, clock_key, type, bpmn_process_id, version, element_id, element_instance_key, departments, at)
         VALUES ($1::bigint, $2, $3, $4, 'board-p', 1, $5, $1::bigint + 1, $6, $7)`,
        [instance, seq, c.key, type, c.element, c.departments, at],
      );
    }
  }
});
afterAll(() => stack?.close());

const q = `from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;

describe('GET /api/sla/board', () => {
  it('per department: open breached and at risk now, breaches, met, late and on-time rate in the period', async () => {
    const res = await get(`/api/sla/board?${q}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.from).toBe('2026-02-28T16:00:00.000Z');
    expect(body.to).toBe('2026-03-07T16:00:00.000Z');
    // dept-a: open c3 (breached); breaches c2 and c3; met c1, late c2 (c7 ended before P, c8 cancelled).
    // dept-b: open c3 (breached), c4 (warned), c5 (due within 2 h), c6 (not at risk); breach c3.
    expect(body.departments).toEqual([
      { department: 'dept-a', name: '供电所甲', open: 1, openBreached: 1, openAtRisk: 0, breaches: 2, met: 1, late: 1, onTimeRate: 0.5 },
      { department: 'dept-b', name: '运维检修部', open: 4, openBreached: 1, openAtRisk: 2, breaches: 1, met: 0, late: 0, onTimeRate: null },
    ]);
    expect(body.totals).toEqual({ open: 5, openBreached: 2, openAtRisk: 2, breaches: 3, met: 1, late: 1, onTimeRate: 0.5 });
  });

  it('one department; a department head sees only their own and is refused another', async () => {
    const b = (await get(`/api/sla/board?${q}&department=dept-b`, 'hub')).json();
    expect(b.departments.map((d: { department: string }) => d.department)).toEqual(['dept-b']);
    const head = await get(`/api/sla/board?${q}`, 'headA');
    expect(head.statusCode).toBe(200);
    expect(head.json().departments).toEqual([
      { department: 'dept-a', name: '供电所甲', open: 1, openBreached: 1, openAtRisk: 0, breaches: 2, met: 1, late: 1, onTimeRate: 0.5 },
    ]);
    const other = await get(`/api/sla/board?${q}&department=dept-b`, 'headA');
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json().detail).toMatch(/本部门.*own departments only, not "dept-b"/);
    expect((await get(`/api/sla/board?${q}`, 'staffA')).statusCode).toBe(403);
    expect((await get(`/api/sla/board?${q}`, 'designer')).statusCode).toBe(403);
  });

  it('refuses a period over 366 days, a reversed one and a date that is not ISO 8601', async () => {
    const long = await get('/api/sla/board?from=2025-01-01&to=2026-01-03');
    expect(long.statusCode).toBe(400);
    expect(long.json().detail).toMatch(/366/);
    const reversed = await get('/api/sla/board?from=2026-03-02&to=2026-03-01');
    expect(reversed.statusCode).toBe(400);
    expect(reversed.json().detail).toMatch(/from .* must be before to/);
    const bad = await get('/api/sla/board?from=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().detail).toMatch(/from: "yesterday" 不是 ISO 8601/);
  });
});

describe('GET /api/sla/heatmap', () => {
  it('per element: clocks started in the period, open, mean duration of the ended ones, breach rate', async () => {
    const res = await get(`/api/sla/heatmap?processId=board-p&version=1&${q}`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ processId: 'board-p', version: 1, processDefinitionKey: definitionKey, diagramVersion: 1 });
    expect(body.elements).toEqual([
      // c3, c4, c5: all open, c3 breached
      { elementId: 'reply', name: '答复', count: 3, open: 3, ended: 0, meanDurationMs: null, breached: 1, breachRate: 1 / 3 },
      // c1, c2, c6, c8 (c7 started before P): c6 open; c1 2 h and c2 24 h ended (c8 was cancelled) → mean 13 h; c2 breached
      { elementId: 'survey', name: '现场勘查', count: 4, open: 1, ended: 2, meanDurationMs: 13 * H, breached: 1, breachRate: 0.25 },
    ]);
  });

  it('a department head sees their departments’ clocks only; unknown process or version is 404', async () => {
    const head = (await get(`/api/sla/heatmap?processId=board-p&${q}`, 'headA')).json();
    expect(head.version).toBeNull();
    expect(head.elements).toEqual([
      { elementId: 'reply', name: '答复', count: 1, open: 1, ended: 0, meanDurationMs: null, breached: 1, breachRate: 1 },
      { elementId: 'survey', name: '现场勘查', count: 3, open: 0, ended: 2, meanDurationMs: 13 * H, breached: 1, breachRate: 1 / 3 },
    ]);
    const none = await get(`/api/sla/heatmap?processId=board-p&version=7&${q}`);
    expect(none.statusCode).toBe(404);
    expect(none.json().detail).toMatch(/has no version 7/);
    expect((await get(`/api/sla/heatmap?processId=nope&${q}`)).statusCode).toBe(404);
    expect((await get(`/api/sla/heatmap?${q}`)).statusCode).toBe(400);
  });
});

describe('GET /api/sla/trends', () => {
  it('by day in China: started, met, late and breaches per local day, a clock of two departments once', async () => {
    const res = await get(`/api/sla/trends?${q}&granularity=day`);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ granularity: 'day', tz: 'Asia/Shanghai' });
    expect(body.buckets).toEqual([
      { bucket: '2026-03-01', started: 0, met: 0, late: 0, breached: 0, onTimeRate: null },
      { bucket: '2026-03-02', started: 2, met: 1, late: 0, breached: 1, onTimeRate: 1 },
      { bucket: '2026-03-03', started: 1, met: 0, late: 1, breached: 0, onTimeRate: 0 },
      { bucket: '2026-03-04', started: 1, met: 0, late: 0, breached: 0, onTimeRate: null },
      { bucket: '2026-03-05', started: 0, met: 0, late: 0, breached: 1, onTimeRate: null },
      { bucket: '2026-03-06', started: 1, met: 0, late: 0, breached: 0, onTimeRate: null },
      // c5 started at 17:00 UTC on the 6th, 01:00 on the 7th in China
      { bucket: '2026-03-07', started: 2, met: 0, late: 0, breached: 0, onTimeRate: null },
    ]);
  });

  it('by week (weeks start on Monday), in UTC, for one department; bad zone and granularity are refused', async () => {
    const week = (await get(`/api/sla/trends?${q}&granularity=week`)).json();
    expect(week.buckets).toEqual([
      // 1 March 2026 is a Sunday: the week of Monday 23 February holds it (nothing happened that day)
      { bucket: '2026-02-23', started: 0, met: 0, late: 0, breached: 0, onTimeRate: null },
      { bucket: '2026-03-02', started: 7, met: 1, late: 1, breached: 2, onTimeRate: 0.5 },
    ]);
    const utc = (await get(`/api/sla/trends?${q}&tz=UTC`)).json();
    expect(utc.buckets.map((b: { bucket: string }) => b.bucket)).toEqual([
      '2026-02-28', '2026-03-01', '2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07',
    ]);
    expect(utc.buckets[6]).toMatchObject({ bucket: '2026-03-06', started: 2 }); // c4 and c5
    const b = (await get(`/api/sla/trends?${q}&department=dept-b&granularity=week`, 'hub')).json();
    expect(b.buckets[1]).toEqual({ bucket: '2026-03-02', started: 4, met: 0, late: 0, breached: 1, onTimeRate: null });
    const tz = await get(`/api/sla/trends?${q}&tz=Mars/Olympus`);
    expect(tz.statusCode).toBe(400);
    expect(tz.json().detail).toMatch(/tz: "Mars\/Olympus"/);
    expect((await get(`/api/sla/trends?${q}&granularity=month`)).statusCode).toBe(400);
    expect((await get(`/api/sla/trends?${q}&department=dept-b`, 'headA')).statusCode).toBe(403);
  });
});

describe('GET /api/sla/board/clocks', () => {
  const keys = async (query: string, who: TestUser | 'admin' = 'manager') => {
    const res = await get(`/api/sla/board/clocks?${q}&${query}`, who);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{ items: Array<{ clockKey: string; processInstanceKey: string }>; page: { totalItems: number } }>();
    expect(body.page.totalItems).toBe(body.items.length);
    return body.items.map((i) => i.clockKey);
  };

  it('lists the clocks behind each figure, newest first', async () => {
    // the board's dept-a figures: breaches 2 (c2, c3), met 1 (c1), late 1 (c2)
    expect(await keys('figure=breaches&department=dept-a')).toEqual(['c3', 'c2']);
    expect(await keys('figure=met&department=dept-a')).toEqual(['c1']);
    expect(await keys('figure=late&department=dept-a')).toEqual(['c2']);
    // dept-b: breach c3 only
    expect(await keys('figure=breaches&department=dept-b')).toEqual(['c3']);
    // the heatmap's survey count 4: c1, c2, c6, c8 (c7 started before P)
    expect(await keys('figure=started&processId=board-p&version=1&elementId=survey')).toEqual(['c6', 'c8', 'c2', 'c1']);
    const one = (await get(`/api/sla/board/clocks?${q}&figure=met`)).json().items[0];
    expect(one).toMatchObject({ clockKey: 'c1', bpmnProcessId: 'board-p', elementId: 'survey', name: '现场勘查', outcome: 'met', departments: ['dept-a'] });
    expect(one.processInstanceKey).toMatch(/^\d+$/);
  });

  it('department heads see their own departments’ clocks; paging; unknown figure refused', async () => {
    expect(await keys('figure=started&processId=board-p&elementId=survey', 'headA')).toEqual(['c8', 'c2', 'c1']);
    expect(await keys('figure=breaches', 'headA')).toEqual(['c3', 'c2']);
    expect((await get(`/api/sla/board/clocks?${q}&figure=breaches&department=dept-b`, 'headA')).statusCode).toBe(403);
    const page = (await get(`/api/sla/board/clocks?${q}&figure=started&limit=2&offset=2`)).json();
    expect(page.page).toEqual({ totalItems: 7, limit: 2, offset: 2 });
    // started in P, newest first: c6 (03-07), c5 (03-06 17:00), c4, c3, c8, c2, c1
    expect(page.items.map((i: { clockKey: string }) => i.clockKey)).toEqual(['c4', 'c3']);
    expect((await get(`/api/sla/board/clocks?${q}&figure=everything`)).statusCode).toBe(400);
    expect((await get(`/api/sla/board/clocks?${q}&figure=met&limit=201`)).statusCode).toBe(400);
  });
});
