/**
 * What the instance monitor reads beyond the plain Camunda searches: instances searched by a range of
 * start dates (Camunda's advanced date filter $gt/$gte/$lt/$lte), and every SLA clock of an instance,
 * open and ended (GET /api/process-instances/:key/sla-clocks), row-scoped like the open clocks.
 * Real PostgreSQL, Temporal dev server and worker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipart } from '../support/engine.js';
import { ADMIN_AUTH, startTestApp, type TestApp } from '../support/stack.js';
import { auth, createUsers, type TestUser } from '../auth/users.js';
import { definitions, ext, flow } from '../bpmn/xml.js';

const SLA_NS = 'xmlns:sla="https://gongdian-flow.dev/schema/sla/1.0"';
const task = (id: string, group: string, limit: string) =>
  `<bpmn:userTask id="${id}" name="${id}">${ext(`<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="${group}" />${limit}`)}</bpmn:userTask>`;
const XML = definitions(
  `<bpmn:process id="monitor-api" isExecutable="true">
  <bpmn:startEvent id="start" />
  ${task('first', 'dept-a', '<sla:limit duration="PT2H" departments="dept-a" />')}
  ${task('second', 'dept-b', '<sla:limit duration="PT1H" departments="dept-b" />')}
  <bpmn:endEvent id="end" />
  ${flow('f1', 'start', 'first')}${flow('f2', 'first', 'second')}${flow('f3', 'second', 'end')}
</bpmn:process>`,
).replace('<bpmn:definitions ', `<bpmn:definitions ${SLA_NS} `);

let stack: TestApp;
let pi: string;
let startedAt: number;

async function call(who: TestUser | 'admin', method: 'GET' | 'POST', url: string, payload?: unknown) {
  return stack.app.inject({ method, url, headers: auth(who), ...(payload === undefined ? {} : { payload: payload as object }) });
}

async function poll<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface ClockItem {
  elementId: string;
  status: string;
  durationMs: number;
  outcome: string | null;
  dueAt: string | null;
  endedAt: string | null;
}

const clocksOf = async (who: TestUser | 'admin') => {
  const res = await call(who, 'GET', `/api/process-instances/${pi}/sla-clocks`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ items: ClockItem[] }>().items;
};

beforeAll(async () => {
  stack = await startTestApp({ worker: true });
  await createUsers(stack.app);
  const { payload, headers } = multipart([{ field: 'resources', name: 'monitor-api.bpmn', content: XML }]);
  const deployed = await stack.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
  expect(deployed.statusCode, deployed.body).toBe(200);
  startedAt = Date.now();
  const started = await call('admin', 'POST', '/v2/process-instances', { processDefinitionId: 'monitor-api' });
  expect(started.statusCode, started.body).toBe(200);
  pi = started.json<{ processInstanceKey: string }>().processInstanceKey;
  // first done by admin, so the instance waits in second with first's clock ended
  const first = await poll('the first task', async () => {
    const res = await call('admin', 'POST', '/v2/user-tasks/search', { filter: { processInstanceKey: pi, elementId: 'first', state: 'CREATED' } });
    return res.json<{ items: Array<{ userTaskKey: string }> }>().items[0];
  });
  expect((await call('admin', 'POST', `/v2/user-tasks/${first.userTaskKey}/assignment`, { assignee: 'admin' })).statusCode).toBe(204);
  expect((await call('admin', 'POST', `/v2/user-tasks/${first.userTaskKey}/completion`, {})).statusCode).toBe(204);
  await poll('both clocks', async () => {
    const items = await clocksOf('admin');
    return items.length === 2 && items[0]!.status === 'ended' ? items : undefined;
  });
}, 120_000);
afterAll(() => stack?.close());

describe('instance search by a range of start dates', () => {
  const search = (startDate: unknown) => call('admin', 'POST', '/v2/process-instances/search', { filter: { processDefinitionId: 'monitor-api', startDate } });
  const iso = (ms: number) => new Date(ms).toISOString();

  it('finds the instance inside the range and not outside it; bounds may carry an offset', async () => {
    const inside = await search({ $gte: iso(startedAt - 60_000), $lt: iso(Date.now() + 60_000) });
    expect(inside.statusCode, inside.body).toBe(200);
    expect(inside.json<{ items: Array<{ processInstanceKey: string }> }>().items.map((i) => i.processInstanceKey)).toEqual([pi]);
    const after = await search({ $gt: iso(Date.now() + 60_000) });
    expect(after.json<{ page: { totalItems: number } }>().page.totalItems).toBe(0);
    const before = await search({ $lte: iso(startedAt - 60_000) });
    expect(before.json<{ page: { totalItems: number } }>().page.totalItems).toBe(0);
    // a day before the start, written in China's offset (+08:00): the wall clock there, 8 hours ahead of UTC
    const china = new Date(startedAt - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 19);
    const local = `${china}+08:00`;
    const withOffset = await search({ $gte: local });
    expect(withOffset.json<{ page: { totalItems: number } }>().page.totalItems).toBe(1);
  });

  it('refuses a bound that is not a date-time with its offset, naming the field', async () => {
    for (const bad of ['yesterday', '2026-03-01', 20260301, '2026-13-01T00:00:00Z']) {
      const res = await search({ $gte: bad });
      expect(res.statusCode, `${String(bad)}: ${res.body}`).toBe(400);
      expect(res.json<{ detail: string }>().detail).toContain("Filter 'startDate' $gte");
    }
    const op = await search({ $like: '2026*' });
    expect(op.statusCode).toBe(400);
    expect(op.json<{ detail: string }>().detail).toContain('$gte');
    // ranges are for dates only
    const text = await call('admin', 'POST', '/v2/process-instances/search', { filter: { processDefinitionId: { $gte: 'a' } } });
    expect(text.statusCode).toBe(400);
  });
});

describe('GET /api/process-instances/:key/sla-clocks', () => {
  it('lists every clock of the instance, the ended one first, with its limit', async () => {
    const items = await clocksOf('admin');
    expect(items.map((c) => [c.elementId, c.status, c.durationMs])).toEqual([
      ['first', 'ended', 2 * 3_600_000],
      ['second', 'running', 3_600_000],
    ]);
    expect(items[0]!.outcome).toBe('met');
    expect(items[0]!.endedAt).not.toBeNull();
    expect(items[1]!.endedAt).toBeNull();
  });

  it('shows department heads and staff the clocks of their departments only; managers and the hub all', async () => {
    expect((await clocksOf('headA')).map((c) => c.elementId)).toEqual(['first']);
    expect((await clocksOf('staffB')).map((c) => c.elementId)).toEqual(['second']);
    expect((await clocksOf('manager')).map((c) => c.elementId)).toEqual(['first', 'second']);
    expect((await clocksOf('hub')).map((c) => c.elementId)).toEqual(['first', 'second']);
  });

  it('refuses designers and integration accounts (403), a key that is not one (400), and answers an unknown instance with no clocks', async () => {
    for (const who of ['designer', 'integration'] as const) expect((await call(who, 'GET', `/api/process-instances/${pi}/sla-clocks`)).statusCode).toBe(403);
    const bad = await call('admin', 'GET', '/api/process-instances/abc/sla-clocks');
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ detail: string }>().detail).toContain('processInstanceKey');
    expect((await call('admin', 'GET', '/api/process-instances/2251799813685249/sla-clocks')).json()).toEqual({ items: [] });
    expect((await call('admin', 'GET', `/api/process-instances/${pi}/sla-clocks?limit=501`)).statusCode).toBe(400);
  });
});
