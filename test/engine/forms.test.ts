/**
 * User-task forms: a completion that fails the task's form-js schema is refused — by the API with
 * the field names, and by the workflow's Update validator before anything enters history.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processInstanceWorkflowId } from '../../workflows/ids.js';
import { completeUserTaskUpdate } from '../../workflows/messages.js';
import { ext, flow, linear, processXml } from '../bpmn/xml.js';
import { multipart, startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

const FORM = JSON.stringify({
  id: 'survey-form',
  type: 'default',
  components: [
    { type: 'text', text: '# 现场勘查' },
    { type: 'textfield', key: 'address', label: '地址', validate: { required: true, minLength: 4 } },
    { type: 'number', key: 'loadKw', label: '容量(kW)', validate: { required: true, min: 1, max: 10000 } },
    { type: 'select', key: 'voltage', label: '电压等级', values: [{ label: '低压', value: 'LV' }, { label: '高压', value: 'HV' }] },
    { type: 'group', components: [{ type: 'checkbox', key: 'important', label: '重要客户' }] },
  ],
});

const BPMN = linear(
  `<bpmn:userTask id="survey" name="现场勘查">${ext('<zeebe:userTask /><zeebe:formDefinition formId="survey-form" />')}</bpmn:userTask>`,
  ['survey'],
);

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

async function deploy(files: Array<{ name: string; content: string }>) {
  const { payload, headers } = multipart(files.map((f) => ({ field: 'resources', ...f })));
  return h.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
}

describe('user task forms', () => {
  it('refuses a diagram whose form is not deployed, naming the task and the form', async () => {
    const res = await deploy([{ name: 'survey.bpmn', content: BPMN }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ elementId: 'survey', formId: 'survey-form' });
    // The refusal's catalogue code (bpmn/messages.ts) lets the web app word it in the user's language.
    expect(res.json()).toMatchObject({ code: 'formSchema.notDeployed', params: { resource: 'survey.bpmn', elementId: 'survey', formId: 'survey-form' } });
    const noId = await deploy([{ name: 'bad.form', content: '{"components": []}' }]);
    expect(noId.statusCode).toBe(400);
    expect(noId.json()).toMatchObject({ detail: `Form 'bad.form' has no "id"; give the form an id (its formId)`, code: 'formSchema.noId', params: { resource: 'bad.form' } });
  });

  it('checks completions against the form in the API and in the Update validator', async () => {
    const res = await deploy([
      { name: 'survey.form', content: FORM },
      { name: 'survey.bpmn', content: BPMN },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ deployments: unknown[] }>().deployments).toContainEqual({
      form: expect.objectContaining({ formId: 'survey-form', version: 1 }),
    });
    const pi = await h.start('p');
    const task = await h.waitForTask(pi, 'survey');
    const form = await h.app.inject({ method: 'GET', url: `/v2/user-tasks/${task.userTaskKey}/form`, headers: ADMIN_AUTH });
    expect(JSON.parse(form.json<{ schema: string }>().schema)).toMatchObject({ id: 'survey-form' });

    const bad = await h.completeTask(task.userTaskKey, { address: 'x', loadKw: 0, voltage: 'MV', important: 'yes' });
    expect(bad.statusCode).toBe(400);
    const detail = bad.json<{ detail: string }>().detail;
    for (const expected of ['address (地址) must have at least 4 characters', 'loadKw (容量(kW)) must be at least 1', 'voltage (电压等级) must be one of "LV", "HV"', 'important (重要客户) must be true or false']) {
      expect(detail).toContain(expected);
    }
    expect((await h.completeTask(task.userTaskKey, { loadKw: 5 })).json<{ detail: string }>().detail).toContain('address (地址) is required');

    // The workflow refuses it too, even when the API is bypassed, and nothing enters history.
    const handle = h.client.workflow.getHandle(processInstanceWorkflowId(pi));
    const direct = handle.executeUpdate(completeUserTaskUpdate, { args: [{ userTaskKey: task.userTaskKey, variables: { loadKw: 5 } }] });
    await expect(direct).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(direct).rejects.toMatchObject({ cause: { type: 'INVALID' } });
    const history = await handle.fetchHistory();
    expect(JSON.stringify(history.events)).not.toContain('workflowExecutionUpdateAcceptedEventAttributes');

    const ok = await h.completeTask(task.userTaskKey, { address: '北京路 12 号', loadKw: 80, voltage: 'LV', important: true });
    expect(ok.statusCode, ok.body).toBe(204);
    await h.waitForEnd(pi);
    expect(await h.variables(pi)).toMatchObject({ address: '北京路 12 号', loadKw: 80 });
  });

  it('read-only (disabled/readonly) fields need not be submitted; the task’s variables are read for them', async () => {
    const form = JSON.stringify({
      id: 'dispatch-form',
      components: [
        { type: 'textfield', key: 'customerName', label: '客户名称', disabled: true, validate: { required: true } },
        { type: 'checkbox', key: 'important', label: '重要客户', disabled: true },
        { type: 'select', key: 'area', label: '区域', readonly: true, validate: { required: true }, values: [{ label: '农村', value: 'rural' }] },
        { type: 'textfield', key: 'crew', label: '班组', validate: { required: true } },
      ],
    });
    const xml = processXml(
      `<bpmn:startEvent id="start" /><bpmn:userTask id="dispatch">${ext('<zeebe:userTask /><zeebe:formDefinition formId="dispatch-form" />')}</bpmn:userTask><bpmn:endEvent id="end" />
       ${flow('f1', 'start', 'dispatch')}${flow('f2', 'dispatch', 'end')}`,
      '',
      'p-dispatch',
    );
    const res = await deploy([
      { name: 'dispatch.form', content: form },
      { name: 'dispatch.bpmn', content: xml },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    const pi = await h.start('p-dispatch', { customerName: '张三', important: true, area: 'rural', hasArrears: true });
    const task = await h.waitForTask(pi, 'dispatch');
    const vars = await h.app.inject({ method: 'POST', url: `/v2/user-tasks/${task.userTaskKey}/variables/search`, headers: ADMIN_AUTH, payload: {} });
    expect(vars.statusCode, vars.body).toBe(200);
    const items = vars.json<{ items: Array<{ name: string; value: string; scopeKey: string }>; page: { totalItems: number } }>();
    expect(Object.fromEntries(items.items.map((v) => [v.name, JSON.parse(v.value) as unknown]))).toEqual({ customerName: '张三', important: true, area: 'rural', hasArrears: true });
    const one = await h.app.inject({ method: 'POST', url: `/v2/user-tasks/${task.userTaskKey}/variables/search`, headers: ADMIN_AUTH, payload: { filter: { name: 'area' } } });
    expect(one.json<{ items: Array<{ name: string }> }>().items.map((v) => v.name)).toEqual(['area']);
    expect((await h.app.inject({ method: 'POST', url: '/v2/user-tasks/999999/variables/search', headers: ADMIN_AUTH, payload: {} })).statusCode).toBe(404);

    expect((await h.completeTask(task.userTaskKey, {})).json<{ detail: string }>().detail).toContain('crew (班组) is required');
    const ok = await h.completeTask(task.userTaskKey, { crew: '一班' });
    expect(ok.statusCode, ok.body).toBe(204);
    await h.waitForEnd(pi);
    expect(await h.variables(pi)).toMatchObject({ customerName: '张三', important: true, area: 'rural', hasArrears: true, crew: '一班' });
  });

  it('redeploying identical resources keeps the versions; a changed form makes a new process version', async () => {
    const same = await deploy([
      { name: 'survey.form', content: FORM },
      { name: 'survey.bpmn', content: BPMN },
    ]);
    const versions = same.json<{ deployments: Array<{ processDefinition?: { processDefinitionVersion: number }; form?: { version: number } }> }>().deployments;
    expect(versions.map((d) => d.processDefinition?.processDefinitionVersion ?? d.form?.version)).toEqual([1, 1]);
    const changed = await deploy([
      { name: 'survey.form', content: FORM.replace('"min":1', '"min":10') },
      { name: 'survey.bpmn', content: BPMN },
    ]);
    const v2 = changed.json<{ deployments: Array<{ processDefinition?: { processDefinitionVersion: number }; form?: { version: number } }> }>().deployments;
    expect(v2.map((d) => d.processDefinition?.processDefinitionVersion ?? d.form?.version)).toEqual([2, 2]);
  });
});
