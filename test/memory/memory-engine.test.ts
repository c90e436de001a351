/**
 * The in-memory engine itself (test/support/memory): what its conformance run relies on. Its clock
 * moves only when asked, jobs are retried with Temporal's back-off, completions pass the Update
 * validator, buffered messages expire, and the same scenario always gives the same result.
 */
import { describe, expect, it } from 'vitest';
import type { Job } from '../../activities/jobs.js';
import { RequestRejected } from '../../workflows/engine/engine.js';
import { ext, linear, message, serviceTask } from '../bpmn/xml.js';
import { conformanceJobHandlers, loadCases, runCase } from '../support/conformance.js';
import { memoryDriver } from '../support/memory/conformance-driver.js';
import { MemoryEngine } from '../support/memory/engine.js';

const userTask = (id: string, inner = '') => `<bpmn:userTask id="${id}">${ext(`<zeebe:userTask />${inner}`)}</bpmn:userTask>`;

describe('in-memory engine', () => {
  it('fires a timer when the fake clock reaches it, not a millisecond before', async () => {
    const mem = new MemoryEngine();
    await mem.deploy({
      name: 'timer.bpmn',
      content: linear(
        '<bpmn:intermediateCatchEvent id="wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT10M</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>',
        ['wait'],
      ),
    });
    const pi = await mem.start('p');
    await mem.advance(10 * 60_000 - 1);
    expect(mem.instance(pi)).toMatchObject({ state: 'ACTIVE', path: ['start', 'wait'] });
    await mem.advance(1);
    expect(mem.instance(pi)).toMatchObject({ state: 'COMPLETED', path: ['start', 'wait', 'end'] });
  });

  it('retries a failing job after 1 s and 2 s, then raises an incident with the handler’s message', async () => {
    const attempts: number[] = [];
    const mem = new MemoryEngine({
      jobHandlers: {
        flaky: () => {
          attempts.push(mem.now);
          throw new Error('outer', { cause: new Error('meter service unreachable') });
        },
      },
    });
    await mem.deploy({ name: 'job.bpmn', content: linear(serviceTask('work', 'flaky').replace('type="flaky"', 'type="flaky" retries="3"'), ['work']) });
    const t0 = mem.now;
    const pi = await mem.start('p');
    expect(attempts).toEqual([t0]);
    expect(mem.incidents({ processInstanceKey: pi })).toEqual([]);
    const incident = await mem.waitFor('the incident', () => mem.incidents({ processInstanceKey: pi, state: 'ACTIVE' })[0]);
    expect(attempts).toEqual([t0, t0 + 1000, t0 + 3000]);
    expect(incident).toMatchObject({ elementId: 'work', errorType: 'JOB_NO_RETRIES', errorMessage: 'meter service unreachable' });
  });

  it('refuses completions as the Update validator does: unknown task, form violations, a task already completed', async () => {
    const form = JSON.stringify({
      id: 'survey-form',
      components: [{ type: 'textfield', key: 'address', label: '地址', validate: { required: true, minLength: 4 } }],
    });
    const mem = new MemoryEngine();
    await mem.deploy(
      { name: 'survey.form', content: form },
      { name: 'survey.bpmn', content: linear(userTask('survey', '<zeebe:formDefinition formId="survey-form" />') + userTask('confirm'), ['survey', 'confirm']) },
    );
    const pi = await mem.start('p');
    const [task] = mem.userTasks({ processInstanceKey: pi, elementId: 'survey' });
    await expect(mem.completeTask('123')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const invalid = mem.completeTask(task!.userTaskKey, { address: 'x' });
    await expect(invalid).rejects.toBeInstanceOf(RequestRejected);
    await expect(invalid).rejects.toMatchObject({ code: 'INVALID', message: expect.stringContaining('address (地址) must have at least 4 characters') });
    expect(mem.instance(pi).path).toEqual(['start', 'survey']);
    await mem.completeTask(task!.userTaskKey, { address: '北京路 1 号' });
    await expect(mem.completeTask(task!.userTaskKey, { address: '北京路 1 号' })).rejects.toMatchObject({
      code: 'CONFLICT',
      // the message code the workflow hands to the service layer (services/problem-codes.ts)
      coded: { code: 'task.alreadyCompleted', params: { taskKey: task!.userTaskKey } },
    });
    expect(mem.instance(pi).path).toEqual(['start', 'survey', 'confirm']);
    expect(mem.variables(pi)).toEqual({ address: '北京路 1 号' });
  });

  it('buffers a published message for its time to live and no longer', async () => {
    const mem = new MemoryEngine();
    const catchEvent = '<bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="m" /></bpmn:intermediateCatchEvent>';
    await mem.deploy({ name: 'msg.bpmn', content: linear(userTask('prepare') + catchEvent, ['prepare', 'paid'], message('m', 'payment', '=orderId')) });
    const pi = await mem.start('p', { orderId: 'o-1' });
    await mem.publish({ name: 'payment', correlationKey: 'o-1', timeToLive: 1000, variables: { amount: 1 } });
    await mem.advance(1000);
    await mem.completeTask(mem.userTasks({ processInstanceKey: pi })[0]!.userTaskKey);
    expect(mem.instance(pi)).toMatchObject({ state: 'ACTIVE', path: ['start', 'prepare', 'paid'] });
    await mem.publish({ name: 'payment', correlationKey: 'o-1', variables: { amount: 2 } });
    expect(mem.instance(pi).state).toBe('COMPLETED');
    expect(mem.variables(pi)).toMatchObject({ amount: 2 });
  });

  it('leaves a job without a handler to an external worker', async () => {
    const mem = new MemoryEngine();
    await mem.deploy({ name: 'ext.bpmn', content: linear(serviceTask('meter', 'read-meter'), ['meter']) });
    const pi = await mem.start('p', { meterId: 'M7' });
    const [job] = mem.externalJobs('read-meter');
    expect(job).toMatchObject({ processInstanceKey: pi, elementId: 'meter', variables: { meterId: 'M7' } });
    await mem.completeJob(job!.elementInstanceKey, { reading: 42 });
    expect(mem.instance(pi).state).toBe('COMPLETED');
    expect(mem.variables(pi)).toMatchObject({ reading: 42 });
  });

  it('raises CALLED_ELEMENT_ERROR while the called process is not deployed, and calls it once it is', async () => {
    const mem = new MemoryEngine();
    const call = `<bpmn:callActivity id="call">${ext('<zeebe:calledElement processId="tariff" propagateAllChildVariables="true" />')}</bpmn:callActivity>`;
    await mem.deploy({ name: 'caller.bpmn', content: linear(call, ['call']) });
    const pi = await mem.start('p');
    const [incident] = mem.incidents({ processInstanceKey: pi, state: 'ACTIVE' });
    expect(incident).toMatchObject({ elementId: 'call', errorType: 'CALLED_ELEMENT_ERROR', errorMessage: "No process definition with id 'tariff' is deployed" });
    const child = linear('<bpmn:scriptTask id="rate">' + ext('<zeebe:script expression="=0.56" resultVariable="rate" />') + '</bpmn:scriptTask>', ['rate'])
      .replace('id="p"', 'id="tariff"');
    await mem.deploy({ name: 'tariff.bpmn', content: child });
    await mem.resolveIncident(incident!.incidentKey);
    expect(mem.instance(pi).state).toBe('COMPLETED');
    expect(mem.variables(pi)).toEqual({ rate: 0.56 });
    expect(mem.instances({ parentProcessInstanceKey: pi })).toMatchObject([{ processId: 'tariff', state: 'COMPLETED' }]);
  });

  it('says what it waited for when nothing more can happen', async () => {
    const mem = new MemoryEngine();
    await mem.deploy({ name: 'task.bpmn', content: linear(userTask('review'), ['review']) });
    const pi = await mem.start('p');
    await expect(mem.waitForEnd(pi)).rejects.toThrow(`waiting for the end of process instance ${pi}: nothing more is due`);
  });

  it('gives the same keys, paths, variables and engine state every time', async () => {
    const { name, spec } = loadCases().find((c) => c.name.startsWith('62-'))!;
    const runs = await Promise.all(
      [1, 2].map(async () => {
        const mem = new MemoryEngine({ jobHandlers: conformanceJobHandlers() });
        await runCase(memoryDriver(mem), name, spec);
        return mem.instances().map((i) => ({ ...i, elements: [...i.elements.values()], variables: mem.variables(i.processInstanceKey), now: mem.now }));
      }),
    );
    expect(runs[0]!.length).toBeGreaterThan(1);
    expect(runs[1]).toEqual(runs[0]);
  });

  it('hands a job a copy of its variables, as an activity gets them', async () => {
    let seen: Job | undefined;
    const mem = new MemoryEngine({
      jobHandlers: {
        work: (job) => {
          seen = job;
          (job.variables.items as unknown[]).push('mutated');
          return {};
        },
      },
    });
    await mem.deploy({ name: 'copy.bpmn', content: linear(serviceTask('work'), ['work']) });
    const pi = await mem.start('p', { items: ['a'] });
    expect(seen?.variables.items).toEqual(['a', 'mutated']);
    expect(mem.variables(pi)).toEqual({ items: ['a'] });
  });
});
