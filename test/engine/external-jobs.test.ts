/**
 * External job workers through Camunda 8's /v2/jobs API: a service task whose type has no handler in
 * the engine waits for a worker that activates, completes, fails or throws an error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext, flow, linear, processXml } from '../bpmn/xml.js';
import { startEngineHarness, type EngineHarness } from '../support/engine.js';

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness(); // no job handlers registered
});
afterAll(() => h?.close());

interface ActivatedJob {
  jobKey: string;
  type: string;
  processInstanceKey: string;
  elementId: string;
  customHeaders: Record<string, string>;
  variables: Record<string, unknown>;
  retries: number;
  deadline: number;
}

async function activate(type: string, extra: object = {}): Promise<ActivatedJob[]> {
  const res = await h.post('/v2/jobs/activation', { type, worker: 'billing-worker', timeout: 30_000, maxJobsToActivate: 5, requestTimeout: 10_000, ...extra });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ jobs: ActivatedJob[] }>().jobs;
}

describe('external job workers (/v2/jobs)', () => {
  it('activates a job with its variables and headers; completion continues the instance', async () => {
    const xml = linear(
      `<bpmn:serviceTask id="bill">${ext('<zeebe:taskDefinition type="billing" retries="2" /><zeebe:taskHeaders><zeebe:header key="tariff" value="居民" /></zeebe:taskHeaders>')}</bpmn:serviceTask>`,
      ['bill'],
    );
    expect((await h.deploy(xml, 'bill.bpmn')).statusCode).toBe(200);
    const pi = await h.start('p', { kwh: 120 });
    const [job] = await activate('billing');
    expect(job).toMatchObject({ type: 'billing', processInstanceKey: pi, elementId: 'bill', customHeaders: { tariff: '居民' }, variables: { kwh: 120 }, retries: 2 });
    expect(job!.deadline).toBeGreaterThan(Date.now());
    // Activated jobs are not handed out again before their deadline.
    expect(await activate('billing', { requestTimeout: 0 })).toEqual([]);
    expect((await h.post(`/v2/jobs/${job!.jobKey}/completion`, { variables: { amount: 66 } })).statusCode).toBe(204);
    expect((await h.post(`/v2/jobs/${job!.jobKey}/completion`, { variables: {} })).statusCode).toBe(404);
    await h.waitForEnd(pi);
    expect(await h.variables(pi)).toMatchObject({ kwh: 120, amount: 66 });
  });

  it('a failure with retries left offers the job again; with none left it is an incident', async () => {
    const xml = linear(`<bpmn:serviceTask id="sms">${ext('<zeebe:taskDefinition type="sms" retries="2" />')}</bpmn:serviceTask>`, ['sms']).replace(
      'id="p"',
      'id="notify"',
    );
    expect((await h.deploy(xml, 'notify.bpmn')).statusCode).toBe(200);
    const pi = await h.start('notify');
    const [first] = await activate('sms');
    expect((await h.post(`/v2/jobs/${first!.jobKey}/failure`, { retries: 1, errorMessage: 'SMS gateway busy' })).statusCode).toBe(204);
    const [again] = await activate('sms');
    expect(again).toMatchObject({ jobKey: first!.jobKey, retries: 1 });
    expect((await h.post(`/v2/jobs/${again!.jobKey}/failure`, { retries: 0, errorMessage: 'SMS gateway down' })).statusCode).toBe(204);
    const inc = await h.waitFor('incident', async () => {
      const res = await h.post('/v2/incidents/search', { filter: { processInstanceKey: pi, state: 'ACTIVE' } });
      return res.json<{ items: Array<{ errorType: string; errorMessage: string; incidentKey: string }> }>().items[0];
    });
    expect(inc).toMatchObject({ errorType: 'JOB_NO_RETRIES' });
    expect(inc.errorMessage).toContain('SMS gateway down');
    // Resolving the incident offers a new job.
    expect((await h.post(`/v2/incidents/${inc.incidentKey}/resolution`, {})).statusCode).toBe(204);
    const [retry] = await activate('sms');
    expect(retry!.jobKey).not.toBe(first!.jobKey);
    expect((await h.post(`/v2/jobs/${retry!.jobKey}/completion`, {})).statusCode).toBe(204);
    await h.waitForEnd(pi);
  });

  it('a BPMN error from a worker is caught by an error boundary event', async () => {
    const xml = processXml(
      `<bpmn:startEvent id="start" /><bpmn:serviceTask id="check">${ext('<zeebe:taskDefinition type="arrears-check" />')}</bpmn:serviceTask>
       <bpmn:boundaryEvent id="inArrears" attachedToRef="check"><bpmn:errorEventDefinition errorRef="e1" /></bpmn:boundaryEvent>
       <bpmn:endEvent id="ok" /><bpmn:endEvent id="refused" />
       ${flow('f1', 'start', 'check')}${flow('f2', 'check', 'ok')}${flow('f3', 'inArrears', 'refused')}`,
      '<bpmn:error id="e1" name="arrears" errorCode="ARREARS" />',
      'accept',
    );
    expect((await h.deploy(xml, 'accept.bpmn')).statusCode).toBe(200);
    const pi = await h.start('accept');
    const [job] = await activate('arrears-check');
    const res = await h.post(`/v2/jobs/${job!.jobKey}/error`, { errorCode: 'ARREARS', errorMessage: '客户欠费', variables: { owed: 35.5 } });
    expect(res.statusCode, res.body).toBe(204);
    await h.waitForEnd(pi);
    expect(await h.path(pi)).toEqual(['start', 'check', 'inArrears', 'refused']);
    expect(await h.variables(pi)).toMatchObject({ owed: 35.5 });
  });

  it('a job whose element was terminated is not offered any more', async () => {
    const xml = linear(`<bpmn:serviceTask id="slow">${ext('<zeebe:taskDefinition type="slow-system" />')}</bpmn:serviceTask>`, ['slow']).replace(
      'id="p"',
      'id="slowproc"',
    );
    expect((await h.deploy(xml, 'slow.bpmn')).statusCode).toBe(200);
    const pi = await h.start('slowproc');
    await h.waitFor('the job to be offered', async () => (await h.pool.query("SELECT 1 FROM job WHERE type = 'slow-system'")).rowCount);
    expect((await h.post(`/v2/process-instances/${pi}/cancellation`, {})).statusCode).toBe(204);
    await h.waitForEnd(pi);
    await h.waitFor('the job to be cancelled', async () => {
      const { rows } = await h.pool.query<{ state: string }>("SELECT state FROM job WHERE type = 'slow-system'");
      return rows[0]?.state === 'CANCELED';
    });
    expect(await activate('slow-system', { requestTimeout: 0 })).toEqual([]);
  });
});
