/**
 * Start forms: zeebe:formDefinition on the none start event of a process. Deployment resolves the
 * form as for user tasks (refused when it is not deployed), GET /v2/process-definitions/{key}/form
 * serves it (204 without one, as Camunda 8), and POST /v2/process-instances checks the variables
 * against it (400 naming the fields) before anything starts.
 */
import { fieldErrorText, type FieldError } from '../../workflows/engine/form-errors.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ext } from '../bpmn/xml.js';
import { multipart, startEngineHarness, type EngineHarness } from '../support/engine.js';
import { ADMIN_AUTH } from '../support/stack.js';

const CALL_FORM = JSON.stringify({
  id: 'repair-call-form',
  type: 'default',
  components: [
    { type: 'text', text: '# 报修登记 / repair call' },
    { type: 'textfield', key: 'customerName', label: '客户名称', validate: { required: true } },
    { type: 'textfield', key: 'contactPhone', label: '联系电话', validate: { required: true, pattern: '^1[0-9]{10}$' } },
    {
      type: 'select',
      key: 'area',
      label: '区域',
      validate: { required: true },
      values: [
        { label: '城区', value: 'urban' },
        { label: '农村', value: 'rural' },
        { label: '偏远', value: 'remote' },
      ],
    },
    { type: 'checkbox', key: 'important', label: '重要客户' },
  ],
});

const NS = 'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"';
const process = (id: string, start: string) => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions ${NS} id="d-${id}" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="${id}" isExecutable="true">
    ${start}
    <bpmn:userTask id="accept" name="受理">${ext('<zeebe:userTask /><zeebe:assignmentDefinition candidateGroups="customer-service" />')}</bpmn:userTask>
    <bpmn:endEvent id="end" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="accept" />
    <bpmn:sequenceFlow id="f2" sourceRef="accept" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>`;
const WITH_FORM = process('repair-call', `<bpmn:startEvent id="start" name="登记">${ext('<zeebe:formDefinition formId="repair-call-form" />')}</bpmn:startEvent>`);
const WITHOUT_FORM = process('plain-call', '<bpmn:startEvent id="start" />');

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness();
});
afterAll(() => h?.close());

async function deploy(files: Array<{ name: string; content: string }>) {
  const { payload, headers } = multipart(files.map((f) => ({ field: 'resources', ...f })));
  return h.app.inject({ method: 'POST', url: '/v2/deployments', payload, headers: { ...headers, ...ADMIN_AUTH } });
}
const getForm = (key: string) => h.app.inject({ method: 'GET', url: `/v2/process-definitions/${key}/form`, headers: ADMIN_AUTH });
const keyOf = (res: { json: <T>() => T }, id: string) =>
  res.json<{ deployments: Array<{ processDefinition?: { processDefinitionId: string; processDefinitionKey: string } }> }>().deployments.find(
    (d) => d.processDefinition?.processDefinitionId === id,
  )!.processDefinition!.processDefinitionKey;

describe('start forms', () => {
  it('refuses a diagram whose start form is not deployed, naming the start event and the form', async () => {
    const res = await deploy([{ name: 'repair-call.bpmn', content: WITH_FORM }]);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ elementId: 'start', formId: 'repair-call-form' });
    expect(res.json<{ detail: string }>().detail).toContain('start event start uses form');
  });

  let withForm: string;
  let withoutForm: string;

  it('serves the start form of a definition; 204 without one, 404 for an unknown definition', async () => {
    const res = await deploy([
      { name: 'repair-call.form', content: CALL_FORM },
      { name: 'repair-call.bpmn', content: WITH_FORM },
      { name: 'plain-call.bpmn', content: WITHOUT_FORM },
    ]);
    expect(res.statusCode, res.body).toBe(200);
    withForm = keyOf(res, 'repair-call');
    withoutForm = keyOf(res, 'plain-call');

    const form = await getForm(withForm);
    expect(form.statusCode, form.body).toBe(200);
    const body = form.json<{ formId: string; formKey: string; version: number; schema: string; tenantId: string }>();
    expect(body).toMatchObject({ formId: 'repair-call-form', version: 1, tenantId: '<default>' });
    expect(body.formKey).toMatch(/^\d+$/);
    expect(JSON.parse(body.schema)).toEqual(JSON.parse(CALL_FORM));

    expect((await getForm(withoutForm)).statusCode).toBe(204);
    const unknown = await getForm('999999999');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toContain('application/problem+json');
  });

  it('refuses a create call whose variables do not satisfy the start form, naming the fields; starts nothing', async () => {
    const { rows: before } = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM process_instance WHERE process_definition_key = $1', [withForm]);
    const bad = await h.post('/v2/process-instances', {
      processDefinitionKey: withForm,
      variables: { contactPhone: '12345', area: 'suburb', important: 'yes' },
    });
    expect(bad.statusCode).toBe(400);
    const problem = bad.json<{ detail: string; formId: string; problems: string[] }>();
    expect(problem.formId).toBe('repair-call-form');
    for (const expected of [
      'customerName (客户名称) is required',
      'contactPhone (联系电话) does not match the pattern ^1[0-9]{10}$',
      'area (区域) must be one of "urban", "rural", "remote"',
      'important (重要客户) must be true or false',
    ]) {
      expect(problem.problems).toContain(expected);
      expect(problem.detail).toContain(expected);
    }
    // The same, as codes and parameters for a client that words them in its user's language.
    const { fieldErrors } = bad.json<{ fieldErrors: FieldError[] }>();
    expect(fieldErrors).toEqual([
      { field: 'customerName', label: '客户名称', code: 'form.required', params: {} },
      { field: 'contactPhone', label: '联系电话', code: 'form.pattern', params: { pattern: '^1[0-9]{10}$' } },
      { field: 'area', label: '区域', code: 'form.oneOf', params: { values: '"urban", "rural", "remote"' } },
      { field: 'important', label: '重要客户', code: 'form.boolean', params: {} },
    ]);
    expect(fieldErrors.map((e) => fieldErrorText(e, 'zh-CN', e.label))).toEqual([
      '客户名称：必填',
      '联系电话：格式不正确（应符合 ^1[0-9]{10}$）',
      '区域：只能是 "urban", "rural", "remote" 之一',
      '重要客户：应为是或否',
    ]);
    // By id (the latest version) it is the same check.
    const byId = await h.post('/v2/process-instances', { processDefinitionId: 'repair-call', variables: {} });
    expect(byId.statusCode).toBe(400);
    expect(byId.json<{ detail: string }>().detail).toContain("start form 'repair-call-form'");
    const { rows: after } = await h.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM process_instance WHERE process_definition_key = $1', [withForm]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('starts an instance whose variables satisfy the start form; the values are its variables', async () => {
    const variables = { customerName: '张三', contactPhone: '13800138000', area: 'rural', important: false, note: '表单外的变量' };
    const pi = await h.start('repair-call', variables);
    await h.waitForTask(pi, 'accept');
    expect(await h.variables(pi)).toMatchObject(variables);
  });

  it('a process without a start form starts with any variables, as before', async () => {
    const pi = await h.start('plain-call', { anything: 1 });
    await h.waitForTask(pi, 'accept');
  });

  it('redeploying the diagram with a changed start form makes a new process version that checks the new form', async () => {
    const changed = CALL_FORM.replace('{"type":"checkbox","key":"important","label":"重要客户"}', '{"type":"checkbox","key":"important","label":"重要客户","validate":{"required":true}}');
    expect(changed).not.toBe(CALL_FORM);
    const res = await deploy([
      { name: 'repair-call.form', content: changed },
      { name: 'repair-call.bpmn', content: WITH_FORM },
    ]);
    const versions = res.json<{ deployments: Array<{ processDefinition?: { processDefinitionVersion: number }; form?: { version: number } }> }>().deployments;
    expect(versions.map((d) => d.processDefinition?.processDefinitionVersion ?? d.form?.version)).toEqual([2, 2]);
    const latest = keyOf(res, 'repair-call');
    expect(JSON.parse((await getForm(latest)).json<{ schema: string }>().schema)).toEqual(JSON.parse(changed));
    const missing = await h.post('/v2/process-instances', { processDefinitionId: 'repair-call', variables: { customerName: '李四', contactPhone: '13800138000', area: 'urban' } });
    expect(missing.json<{ problems: string[] }>().problems).toEqual(['important (重要客户) is required']);
    // The older version keeps its own form.
    const old = await h.post('/v2/process-instances', { processDefinitionKey: withForm, variables: { customerName: '李四', contactPhone: '13800138000', area: 'urban' } });
    expect(old.statusCode, old.body).toBe(200);
  });
});
