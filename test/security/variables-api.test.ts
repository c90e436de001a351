/**
 * Issue 7 items 2 and 3 through the HTTP API on the real stack: a NUL character or a lone
 * surrogate anywhere in a variable, or a variable over its size limit, is refused with 400 naming
 * the variable at every API that accepts variables, and nothing is started or changed.
 *
 * Bodies are sent as raw JSON text so that the escapes \u0000 and \ud800 reach the server exactly
 * as a client would send them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext, flow, message, processXml, serviceTask } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

const VARIABLE_MAX = 4096;
const TOTAL_MAX = 16384;

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ env: { VARIABLE_MAX_BYTES: String(VARIABLE_MAX), VARIABLES_TOTAL_MAX_BYTES: String(TOTAL_MAX) } });
  // start → review (user task) ‖ wait (message catch) ‖ work (external job) → end
  const xml = processXml(
    `<bpmn:startEvent id="start" />
     <bpmn:parallelGateway id="fork" />
     <bpmn:userTask id="review">${ext('<zeebe:userTask />')}</bpmn:userTask>
     <bpmn:intermediateCatchEvent id="wait"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
     ${serviceTask('work', 'external-work')}
     <bpmn:parallelGateway id="join" />
     <bpmn:endEvent id="end" />
     ${flow('f0', 'start', 'fork')}
     ${flow('f1', 'fork', 'review')}
     ${flow('f2', 'fork', 'wait')}
     ${flow('f3', 'fork', 'work')}
     ${flow('f4', 'review', 'join')}
     ${flow('f5', 'wait', 'join')}
     ${flow('f6', 'work', 'join')}
     ${flow('f7', 'join', 'end')}`,
    `${message('m', 'meter-read', '=orderId')}
     <bpmn:signal id="s" name="storm" />`,
    'hostile',
  );
  const dep = await h.deploy(xml, 'hostile.bpmn');
  expect(dep.statusCode, dep.body).toBe(200);
}, 120_000);
afterAll(() => h?.close());

function raw(method: 'POST' | 'PUT', url: string, json: string) {
  return h.app.inject({ method, url, payload: json, headers: { ...ADMIN_AUTH, 'content-type': 'application/json' } });
}

async function count(sql: string, params: unknown[] = []): Promise<number> {
  const { rows } = await h.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${sql}`, params);
  return rows[0]!.n;
}

function expectRefused(res: { statusCode: number; body: string }, variable: string, problem: string) {
  expect(res.statusCode, res.body).toBe(400);
  const body = JSON.parse(res.body) as { title: string; detail: string; variable: string; problem: string };
  expect(body).toMatchObject({ title: 'INVALID_ARGUMENT', variable, problem });
  expect(body.detail).toContain(variable);
  return body;
}

/** A running instance waiting at its user task, message and job, with its task, element and activated job keys. */
async function running(orderId: string) {
  const pi = await h.start('hostile', { orderId, customer: { name: '张三' } });
  const task = await h.waitForTask(pi, 'review');
  const job = await h.waitFor('external job', async () => {
    const res = await h.post('/v2/jobs/activation', { type: 'external-work', worker: 'w', timeout: 60_000, maxJobsToActivate: 1 });
    return res.json<{ jobs: Array<{ jobKey: string; processInstanceKey: string }> }>().jobs.find((j) => j.processInstanceKey === pi);
  });
  await h.waitFor('message subscription', async () => (await count('message_subscription WHERE process_instance_key = $1', [pi])) > 0);
  return { pi, task, job };
}

describe('NUL characters and lone surrogates are refused with 400 naming the variable', () => {
  it('process instance creation: nothing is started', async () => {
    const before = await count('process_instance');
    expectRefused(
      await raw('POST', '/v2/process-instances', '{"processDefinitionId":"hostile","variables":{"orderId":"1","customer":{"name":"张\\u0000三"}}}'),
      'customer.name',
      'NUL_CHARACTER',
    );
    expectRefused(
      await raw('POST', '/v2/process-instances', '{"processDefinitionId":"hostile","variables":{"items":[{"note":"ok"},{"note":"\\ud800x"}]}}'),
      'items[1].note',
      'LONE_SURROGATE',
    );
    expectRefused(await raw('POST', '/v2/process-instances', '{"processDefinitionId":"hostile","variables":{"a\\u0000b":1}}'), '"a\\u0000b"', 'NUL_CHARACTER');
    expect(await count('process_instance')).toBe(before);
  });

  it('user-task completion, variables, message, job and signal APIs: nothing changes and the instance keeps working', async () => {
    const { pi, task, job } = await running('order-1');
    const variablesBefore = await h.variables(pi);
    const messagesBefore = await count('message');

    expectRefused(
      await raw('POST', `/v2/user-tasks/${task.userTaskKey}/completion`, '{"variables":{"result":{"remark":"ok\\u0000"}}}'),
      'result.remark',
      'NUL_CHARACTER',
    );
    const { rows: eis } = await h.pool.query<{ key: string }>(
      "SELECT key::text FROM element_instance WHERE process_instance_key = $1 AND element_id = 'review'",
      [pi],
    );
    expectRefused(await raw('PUT', `/v2/element-instances/${eis[0]!.key}/variables`, '{"variables":{"fix":"\\udc00"}}'), 'fix', 'LONE_SURROGATE');
    expectRefused(
      await raw('POST', '/v2/messages/publication', '{"name":"meter-read","correlationKey":"order-1","timeToLive":60000,"variables":{"reading":"\\u0000"}}'),
      'reading',
      'NUL_CHARACTER',
    );
    expectRefused(
      await raw('POST', '/v2/messages/correlation', '{"name":"meter-read","correlationKey":"order-1","variables":{"r":["\\ud83d"]}}'),
      'r[0]',
      'LONE_SURROGATE',
    );
    expectRefused(await raw('POST', `/v2/jobs/${job.jobKey}/completion`, '{"variables":{"out":{"x\\u0000":1}}}'), 'out["x\\u0000"]', 'NUL_CHARACTER');
    expectRefused(await raw('POST', `/v2/jobs/${job.jobKey}/error`, '{"errorCode":"E","variables":{"why":"\\u0000"}}'), 'why', 'NUL_CHARACTER');
    expectRefused(await raw('POST', '/v2/signals/broadcast', '{"signalName":"storm","variables":{"area":"\\u0000"}}'), 'area', 'NUL_CHARACTER');
    // The names and texts beside the variables: a clear 400, not a database error (500).
    expectRefused(await raw('POST', '/v2/messages/publication', '{"name":"meter\\u0000read","correlationKey":"order-1"}'), 'name', 'NUL_CHARACTER');
    expectRefused(await raw('POST', '/v2/messages/correlation', '{"name":"meter-read","correlationKey":"order-1\\ud800"}'), 'correlationKey', 'LONE_SURROGATE');
    expectRefused(await raw('POST', '/v2/signals/broadcast', '{"signalName":"st\\u0000orm"}'), 'signalName', 'NUL_CHARACTER');
    expectRefused(await raw('POST', `/v2/jobs/${job.jobKey}/failure`, '{"retries":1,"errorMessage":"bad \\u0000"}'), 'errorMessage', 'NUL_CHARACTER');

    // Nothing changed: same variables, task open, no message stored, job still with its worker.
    expect(await h.variables(pi)).toEqual(variablesBefore);
    expect(await count('message')).toBe(messagesBefore);
    expect(await count("user_task WHERE key = $1 AND state = 'CREATED'", [task.userTaskKey])).toBe(1);
    expect(await count("job WHERE key = $1 AND state = 'ACTIVATED'", [job.jobKey])).toBe(1);

    // And the instance still works with clean input.
    expect((await h.completeTask(task.userTaskKey, { result: { remark: '已核实' } })).statusCode).toBe(204);
    expect((await h.post(`/v2/jobs/${job.jobKey}/completion`, { variables: { out: 1 } })).statusCode).toBe(204);
    expect((await h.post('/v2/messages/correlation', { name: 'meter-read', correlationKey: 'order-1', variables: { reading: 42 } })).statusCode).toBe(200);
    expect(await h.waitForEnd(pi)).toMatchObject({ outcome: 'completed', variables: { result: { remark: '已核实' }, out: 1, reading: 42 } });
  });
});

describe('variable sizes', () => {
  it('a variable over VARIABLE_MAX_BYTES is refused with its name, size and the limit', async () => {
    const before = await count('process_instance');
    const report = 'x'.repeat(VARIABLE_MAX); // VARIABLE_MAX + 2 bytes as JSON
    const res = await h.post('/v2/process-instances', { processDefinitionId: 'hostile', variables: { orderId: 'o', report } });
    const body = expectRefused(res, 'report', 'VARIABLE_TOO_LARGE');
    expect(body).toMatchObject({ size: VARIABLE_MAX + 2, limit: VARIABLE_MAX });
    expect(body.detail).toContain(String(VARIABLE_MAX + 2));
    expect(body.detail).toContain(String(VARIABLE_MAX));
    expect(await count('process_instance')).toBe(before);
  });

  it("a completion that would take the instance's variables over VARIABLES_TOTAL_MAX_BYTES is refused; the task stays open", async () => {
    const chunk = 'y'.repeat(VARIABLE_MAX - 100);
    // four variables of ~4 KB fit the 16 KB total; a fifth does not
    const pi = await h.start('hostile', { orderId: 'big', a: chunk, b: chunk, c: chunk, d: chunk });
    const task = await h.waitForTask(pi, 'review');
    const res = await h.completeTask(task.userTaskKey, { e: chunk });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<{ detail: string }>().detail).toContain(String(TOTAL_MAX));
    expect(res.json<{ detail: string }>().detail).toContain('variable e');
    expect(await count("user_task WHERE key = $1 AND state = 'CREATED'", [task.userTaskKey])).toBe(1);
    expect(Object.keys(await h.variables(pi)).sort()).toEqual(['a', 'b', 'c', 'd', 'orderId']);
    // Replacing a big variable instead of adding one fits.
    expect((await h.completeTask(task.userTaskKey, { c: 'small' })).statusCode).toBe(204);
    await h.waitFor('c replaced', async () => (await h.variables(pi)).c === 'small');
    await h.post(`/v2/process-instances/${pi}/cancellation`, {});
  });
});
