/**
 * Issue 7, items 13-15 on the real stack: department heads read only the instances (and their
 * elements, variables, incidents) their departments have or had tasks in; staff reach only such
 * instances with messages and cannot buffer; integration accounts publish anywhere; staff cannot take
 * over a colleague's claimed task; an unknown assignee is a 400 naming it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext, flow, message, processXml } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { auth, createUsers, type TestUser } from '../auth/users.js';

let h: EngineHarness;
let piA: string;
let piB: string;
let taskA: string;

const req = (who: TestUser | 'admin', method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  h.app.inject({ method, url, headers: auth(who), ...(payload ? { payload } : {}) });

/** A process whose user task is offered to `group` while a receive task waits for message "note" keyed by ref. */
const diagram = (processId: string, group: string) =>
  processXml(
    `<bpmn:startEvent id="start" /><bpmn:parallelGateway id="fork" />
     <bpmn:userTask id="task">${ext(`<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="${group}" />`)}</bpmn:userTask>
     <bpmn:receiveTask id="wait" messageRef="m" /><bpmn:parallelGateway id="join" /><bpmn:endEvent id="end" />
     ${flow('f1', 'start', 'fork')}${flow('f2', 'fork', 'task')}${flow('f3', 'fork', 'wait')}${flow('f4', 'task', 'join')}${flow('f5', 'wait', 'join')}${flow('f6', 'join', 'end')}`,
    message('m', 'note', '=ref'),
    processId,
  );

const keysOf = (res: { json: <T>() => T }, field: string) => res.json<{ items: Array<Record<string, string>> }>().items.map((i) => i[field]);

beforeAll(async () => {
  h = await startEngineHarness();
  await createUsers(h.app);
  expect((await h.deploy(diagram('pa', 'dept-a'), 'pa.bpmn')).statusCode).toBe(200);
  expect((await h.deploy(diagram('pb', 'dept-b'), 'pb.bpmn')).statusCode).toBe(200);
  piA = await h.start('pa', { ref: 'A-1', owner: 'dept-a data' });
  piB = await h.start('pb', { ref: 'B-1', owner: 'customer service centre data' });
  taskA = (await h.waitForTask(piA, 'task')).userTaskKey;
  await h.waitForTask(piB, 'task');
  await h.waitFor('subscriptions', async () => (await h.pool.query('SELECT 1 FROM message_subscription')).rowCount === 2);
});
afterAll(() => h?.close());

describe('row-level scope of instance reads (item 14)', () => {
  it('a department head sees only the instances, elements and variables of their departments', async () => {
    const instances = await req('headA', 'POST', '/v2/process-instances/search', {});
    expect(keysOf(instances, 'processInstanceKey')).toEqual([piA]);
    const elements = await req('headA', 'POST', '/v2/element-instances/search', { page: { limit: 100 } });
    expect(new Set(keysOf(elements, 'processInstanceKey'))).toEqual(new Set([piA]));
    const variables = await req('headA', 'POST', '/v2/variables/search', {});
    expect(new Set(keysOf(variables, 'processInstanceKey'))).toEqual(new Set([piA]));
    expect(variables.body).not.toContain('customer service centre data');
    // filtering for the other instance finds nothing rather than leaking it
    const filtered = await req('headA', 'POST', '/v2/variables/search', { filter: { processInstanceKey: piB } });
    expect(keysOf(filtered, 'name')).toEqual([]);
  });

  it('a department head gets 404 for another department’s instance and element by key', async () => {
    expect((await req('headA', 'GET', `/v2/process-instances/${piA}`)).statusCode).toBe(200);
    expect((await req('headA', 'GET', `/v2/process-instances/${piB}`)).statusCode).toBe(404);
    const { rows } = await h.pool.query<{ key: string }>("SELECT key::text FROM element_instance WHERE process_instance_key = $1 AND element_id = 'task'", [piB]);
    expect((await req('headA', 'GET', `/v2/element-instances/${rows[0]!.key}`)).statusCode).toBe(404);
    expect((await req('admin', 'GET', `/v2/element-instances/${rows[0]!.key}`)).statusCode).toBe(200);
  });

  it('hub coordinators, managers, designers and administrators keep the company-wide view', async () => {
    for (const who of ['hub', 'manager', 'designer', 'admin'] as const) {
      const res = await req(who, 'POST', '/v2/process-instances/search', {});
      expect(new Set(keysOf(res, 'processInstanceKey')), who).toEqual(new Set([piA, piB]));
    }
  });
});

describe('who may publish which messages (item 13)', () => {
  it('staff cannot correlate a message into another department’s instance, and its variables stay', async () => {
    const res = await req('staffA', 'POST', '/v2/messages/correlation', { name: 'note', correlationKey: 'B-1', variables: { owner: 'overwritten' } });
    expect(res.statusCode).toBe(404);
    const pub = await req('staffA', 'POST', '/v2/messages/publication', { name: 'note', correlationKey: 'B-1', variables: { owner: 'overwritten' } });
    expect(pub.statusCode).toBe(200);
    const { rows } = await h.pool.query("SELECT 1 FROM message_subscription WHERE process_instance_key = $1 AND message_name = 'note'", [piB]);
    expect(rows).toHaveLength(1);
    expect((await h.variables(piB)).owner).toBe('customer service centre data');
  });

  it('staff cannot buffer a message (timeToLive > 0)', async () => {
    const res = await req('staffA', 'POST', '/v2/messages/publication', { name: 'note', correlationKey: 'B-2', timeToLive: 60_000, variables: { x: 1 } });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ detail: string }>().detail).toContain('timeToLive');
    expect((await h.pool.query("SELECT 1 FROM message WHERE correlation_key = 'B-2'")).rowCount).toBe(0);
  });

  it('a time-to-live above the cap is refused with 400 naming timeToLive', async () => {
    const res = await req('integration', 'POST', '/v2/messages/publication', { name: 'note', correlationKey: 'x', timeToLive: 2 ** 53 - 1 });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain('timeToLive');
  });

  it('staff reach their own department’s instance', async () => {
    const res = await req('staffA', 'POST', '/v2/messages/correlation', { name: 'note', correlationKey: 'A-1', variables: { reply: 'from staffA' } });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ processInstanceKey: string }>().processInstanceKey).toBe(piA);
    await h.waitFor('variable from message', async () => (await h.variables(piA)).reply === 'from staffA');
  });

  it('an integration account publishes into any instance', async () => {
    const res = await req('integration', 'POST', '/v2/messages/publication', { name: 'note', correlationKey: 'B-1', timeToLive: 60_000, variables: { billing: 'paid' } });
    expect(res.statusCode).toBe(200);
    await h.waitFor('variable from integration', async () => (await h.variables(piB)).billing === 'paid');
  });
});

describe('task assignment (item 15)', () => {
  it('staff cannot take over a task a colleague claimed; a head can reassign it', async () => {
    expect((await req('staffA2', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffA2' })).statusCode).toBe(204);
    const takeover = await req('staffA', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffA' });
    expect(takeover.statusCode).toBe(403);
    expect(takeover.json<{ detail: string }>().detail).toContain('staffA2');
    const { rows } = await h.pool.query<{ assignee: string }>('SELECT assignee FROM user_task WHERE key = $1', [taskA]);
    expect(rows[0]!.assignee).toBe('staffA2');
    expect((await req('headA', 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'staffA' })).statusCode).toBe(204);
  });

  it('assigning to a user that does not exist is a 400 naming the user', async () => {
    for (const who of ['admin', 'headA'] as const) {
      const res = await req(who, 'POST', `/v2/user-tasks/${taskA}/assignment`, { assignee: 'no-such-person' });
      expect(res.statusCode, who).toBe(400);
      expect(res.json<{ detail: string }>().detail).toContain("'no-such-person'");
    }
    const { rows } = await h.pool.query<{ assignee: string }>('SELECT assignee FROM user_task WHERE key = $1', [taskA]);
    expect(rows[0]!.assignee).toBe('staffA');
  });
});
