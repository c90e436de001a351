/** The Camunda 8 REST API (v2) contract: shapes, status codes, problem+json, versions, read-your-writes. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext, linear, message, processXml, flow } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ jobHandlers: { flaky: () => { throw new Error('upstream billing system is down'); } } });
});
afterAll(() => h?.close());

const userTaskXml = linear(`<bpmn:userTask id="approve">${ext('<zeebe:userTask />')}</bpmn:userTask>`, ['approve']);
const get = (url: string) => h.app.inject({ method: 'GET', url, headers: ADMIN_AUTH });

describe('/v2 deployments and definitions', () => {
  it('versions a changed resource and returns the existing version for an identical one', async () => {
    const first = await h.deploy(userTaskXml, 'approve.bpmn');
    expect(first.statusCode).toBe(200);
    const body = first.json<{ deploymentKey: string; deployments: Array<{ processDefinition: Record<string, unknown> }> }>();
    expect(body.deploymentKey).toMatch(/^\d+$/);
    const def = body.deployments[0]!.processDefinition;
    expect(def).toMatchObject({ processDefinitionId: 'p', processDefinitionVersion: 1, resourceName: 'approve.bpmn', tenantId: '<default>' });

    const again = (await h.deploy(userTaskXml, 'approve.bpmn')).json<typeof body>().deployments[0]!.processDefinition;
    expect(again).toEqual(def);
    const changed = (await h.deploy(userTaskXml.replace('id="approve"', 'id="approve" name="审批"'), 'approve.bpmn')).json<typeof body>();
    expect(changed.deployments[0]!.processDefinition.processDefinitionVersion).toBe(2);

    const search = await h.post('/v2/process-definitions/search', { filter: { processDefinitionId: 'p', isLatestVersion: true } });
    expect(search.json<{ items: Array<{ version: number }>; page: { totalItems: number } }>()).toMatchObject({ items: [{ version: 2 }], page: { totalItems: 1 } });
    const byKey = await get(`/v2/process-definitions/${def.processDefinitionKey as string}`);
    expect(byKey.json()).toMatchObject({ processDefinitionKey: def.processDefinitionKey, version: 1 });
    const xml = await get(`/v2/process-definitions/${def.processDefinitionKey as string}/xml`);
    expect(xml.headers['content-type']).toContain('text/xml');
    expect(xml.body).toBe(userTaskXml);
  });

  it('refuses an undeployable diagram with 400 problem+json naming element, type and reason, and stores nothing', async () => {
    const bad = processXml('<bpmn:startEvent id="s" /><bpmn:complexGateway id="cg" /><bpmn:sequenceFlow id="f" sourceRef="s" targetRef="cg" />', '', 'bad');
    const res = await h.deploy(bad, 'bad.bpmn');
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    const problem = res.json<{ title: string; detail: string; problems: Array<{ elementId: string; elementType: string; message: string }> }>();
    expect(problem.title).toBe('INVALID_ARGUMENT');
    expect(problem.problems).toContainEqual(expect.objectContaining({ elementId: 'cg', elementType: 'bpmn:ComplexGateway' }));
    const search = await h.post('/v2/process-definitions/search', { filter: { processDefinitionId: 'bad' } });
    expect(search.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('answers unknown keys and bad filters with problem+json', async () => {
    const missing = await get('/v2/process-definitions/2251799813685249');
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ title: 'NOT_FOUND', status: 404 });
    const notKey = await get('/v2/process-instances/abc');
    expect(notKey.statusCode).toBe(400);
    const badField = await h.post('/v2/user-tasks/search', { filter: { colour: 'red' } });
    expect(badField.statusCode).toBe(400);
    expect(badField.json<{ detail: string }>().detail).toContain("Unknown filter field 'colour'");
    const noProcess = await h.post('/v2/process-instances', { processDefinitionId: 'nope' });
    expect(noProcess.statusCode).toBe(404);
  });
});

describe('/v2 instances, tasks, variables', () => {
  it('a completed task has left the open-task search when the completion call returns', async () => {
    const pi = await h.start('p', { order: { id: 'A-1', amount: 3 } });
    const task = await h.waitForTask(pi, 'approve');
    expect(task).toMatchObject({ state: 'CREATED', processInstanceKey: pi, elementId: 'approve', processDefinitionId: 'p' });
    expect((await h.completeTask(task.userTaskKey, { approved: true })).statusCode).toBe(204);
    const open = await h.post('/v2/user-tasks/search', { filter: { processInstanceKey: pi, state: 'CREATED' } });
    expect(open.json<{ items: unknown[] }>().items).toEqual([]);
    const done = await get(`/v2/user-tasks/${task.userTaskKey}`);
    expect(done.json()).toMatchObject({ state: 'COMPLETED', completionDate: expect.any(String) });
    await h.waitForEnd(pi);

    const inst = await get(`/v2/process-instances/${pi}`);
    expect(inst.json()).toMatchObject({ processInstanceKey: pi, state: 'COMPLETED', hasIncident: false, processDefinitionVersion: 2 });
    const elements = await h.post('/v2/element-instances/search', { filter: { processInstanceKey: pi }, sort: [{ field: 'startDate', order: 'ASC' }] });
    const items = elements.json<{ items: Array<{ elementId: string; type: string; state: string }> }>().items;
    expect(items.map((e) => [e.elementId, e.type, e.state])).toEqual([
      ['p', 'PROCESS', 'COMPLETED'],
      ['start', 'START_EVENT', 'COMPLETED'],
      ['approve', 'USER_TASK', 'COMPLETED'],
      ['end', 'END_EVENT', 'COMPLETED'],
    ]);
    const vars = await h.post('/v2/variables/search', { filter: { processInstanceKey: pi, name: 'order' } });
    const v = vars.json<{ items: Array<{ name: string; value: string; scopeKey: string }> }>().items[0]!;
    expect(JSON.parse(v.value)).toEqual({ id: 'A-1', amount: 3 });
    expect(v.scopeKey).toBe(pi);
  });

  it('cancels a waiting instance; cancelling again is 404', async () => {
    const pi = await h.start('p');
    const task = await h.waitForTask(pi, 'approve');
    expect((await h.post(`/v2/process-instances/${pi}/cancellation`, {})).statusCode).toBe(204);
    await h.waitForEnd(pi);
    expect((await get(`/v2/process-instances/${pi}`)).json()).toMatchObject({ state: 'TERMINATED' });
    expect((await get(`/v2/user-tasks/${task.userTaskKey}`)).json()).toMatchObject({ state: 'CANCELED' });
    expect((await h.post(`/v2/process-instances/${pi}/cancellation`, {})).statusCode).toBe(404);
    expect((await h.completeTask(task.userTaskKey)).statusCode).toBe(409);
  });
});

describe('/v2 messages and incidents', () => {
  it('buffers a published message until an instance subscribes; correlation without a waiter is 404', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="start" /><bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>
       <bpmn:endEvent id="end" />${flow('f1', 'start', 'paid')}${flow('f2', 'paid', 'end')}`,
      message('m', 'payment-received', '=orderId'),
      'pay',
    );
    expect((await h.deploy(xml, 'pay.bpmn')).statusCode).toBe(200);
    const none = await h.post('/v2/messages/correlation', { name: 'payment-received', correlationKey: 'O-9' });
    expect(none.statusCode).toBe(404);
    const pub = await h.post('/v2/messages/publication', { name: 'payment-received', correlationKey: 'O-7', timeToLive: 60_000, variables: { paid: 120 } });
    expect(pub.json<{ messageKey: string }>().messageKey).toMatch(/^\d+$/);
    const pi = await h.start('pay', { orderId: 'O-7' });
    await h.waitForEnd(pi);
    expect(await h.variables(pi)).toMatchObject({ paid: 120 });

    const pi2 = await h.start('pay', { orderId: 'O-8' });
    await h.waitFor('subscription', async () => (await h.pool.query('SELECT 1 FROM message_subscription WHERE process_instance_key = $1', [pi2])).rowCount);
    const corr = await h.post('/v2/messages/correlation', { name: 'payment-received', correlationKey: 'O-8', variables: { paid: 5 } });
    expect(corr.json()).toMatchObject({ processInstanceKey: pi2 });
    await h.waitForEnd(pi2);
  });

  it('raises an incident when retries run out and resolving it retries the job', async () => {
    const xml = linear(`<bpmn:serviceTask id="bill">${ext('<zeebe:taskDefinition type="flaky" retries="1" />')}</bpmn:serviceTask>`, ['bill']).replace('id="p"', 'id="billing"');
    expect((await h.deploy(xml, 'billing.bpmn')).statusCode).toBe(200);
    const pi = await h.start('billing');
    const inc = await h.waitFor('incident', async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi } });
      return res.json<{ items: Array<Record<string, string>> }>().items[0];
    });
    expect(inc).toMatchObject({ errorType: 'JOB_NO_RETRIES', elementId: 'bill', state: 'ACTIVE' });
    expect(inc.errorMessage).toContain('upstream billing system is down');
    expect((await get(`/v2/process-instances/${pi}`)).json()).toMatchObject({ hasIncident: true, state: 'ACTIVE' });
    expect((await h.post(`/v2/incidents/${inc.incidentKey}/resolution`, {})).statusCode).toBe(204);
    // The handler still fails: a new incident replaces the resolved one.
    const next = await h.waitFor('second incident', async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, state: 'ACTIVE' } });
      return res.json<{ items: Array<{ incidentKey: string }> }>().items.find((i) => i.incidentKey !== inc.incidentKey);
    });
    expect(next.incidentKey).not.toBe(inc.incidentKey);
    expect((await get(`/v2/incidents/${inc.incidentKey}`)).json()).toMatchObject({ state: 'RESOLVED' });
    const again = await h.post(`/v2/incidents/${inc.incidentKey}/resolution`, {});
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'incident.resolved', params: { incidentKey: inc.incidentKey } });
  });

  it('repairs data with PUT …/variables and resolves a condition incident', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="start" /><bpmn:exclusiveGateway id="gw" default="low" /><bpmn:endEvent id="bigEnd" /><bpmn:endEvent id="smallEnd" />
       ${flow('f1', 'start', 'gw')}${flow('high', 'gw', 'bigEnd', '= amount > 100')}${flow('low', 'gw', 'smallEnd')}`,
      '',
      'route',
    );
    expect((await h.deploy(xml, 'route.bpmn')).statusCode).toBe(200);
    const pi = await h.start('route');
    const inc = await h.waitFor('incident', async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, state: 'ACTIVE' } });
      return res.json<{ items: Array<{ incidentKey: string; elementId: string; errorMessage: string }> }>().items[0];
    });
    expect(inc.elementId).toBe('gw');
    const put = (key: string, body: object) => h.app.inject({ method: 'PUT', url: `/v2/element-instances/${key}/variables`, headers: ADMIN_AUTH, payload: body });
    expect((await put('2251799813685249', { variables: { amount: 1 } })).statusCode).toBe(404);
    expect((await put(pi, { variables: { amount: 500 } })).statusCode).toBe(204);
    expect((await h.post(`/v2/incidents/${inc.incidentKey}/resolution`, {})).statusCode).toBe(204);
    await h.waitForEnd(pi);
    expect(await h.path(pi)).toEqual(['start', 'gw', 'bigEnd']);
    expect(await h.variables(pi)).toEqual({ amount: 500 });
  });
});
